import type { AnyHttpFunction, Method } from '../http/types.js';

const functionName = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

export interface RouteSegment {
  kind: 'literal' | 'param' | 'catchAll';
  /** Literal text (lower case) or parameter name. */
  value: string;
  constraint?: string;
  optional?: boolean;
}

/** Parses a Functions host route template such as `product/{id:int}` or `files/{*path}`. */
export function parseRoute(route: string): RouteSegment[] {
  if (route.startsWith('/') || route.endsWith('/'))
    throw new Error(`route "${route}" must not start or end with /`);
  return route.split('/').map((segment) => {
    const param = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?(\?)?\}$/.exec(segment);
    if (param) {
      return {
        kind: param[1] ? 'catchAll' : 'param',
        value: param[2] ?? '',
        constraint: param[3],
        optional: param[4] === '?',
      };
    }
    if (segment === '' || /[{}]/.test(segment))
      throw new Error(`route "${route}" has an invalid segment "${segment}"`);
    return { kind: 'literal', value: segment.toLowerCase() };
  });
}

/** Two routes the Functions host cannot tell apart: same methods and the same literal/parameter shape. */
function sameShape(a: RouteSegment[], b: RouteSegment[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((s, i) => {
    const t = b[i];
    if (!t || s.kind !== t.kind) return false;
    return s.kind === 'literal' ? s.value === t.value : (s.constraint ?? '') === (t.constraint ?? '');
  });
}

/**
 * Checks what the Azure host would refuse or route unpredictably: invalid or duplicate function
 * names, malformed templates, and two functions that answer the same method on the same route shape.
 * Returns every problem found (empty when the registry is sound).
 */
export function registryProblems(functions: { name: string }[], http: AnyHttpFunction[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const f of functions) {
    if (!functionName.test(f.name))
      problems.push(`function name "${f.name}" is not valid in Azure Functions`);
    const key = f.name.toLowerCase();
    if (seen.has(key)) problems.push(`function name "${f.name}" is used twice (names are case-insensitive)`);
    seen.add(key);
  }
  const parsed: { fn: AnyHttpFunction; segments: RouteSegment[] }[] = [];
  for (const fn of http) {
    try {
      parsed.push({ fn, segments: parseRoute(fn.route) });
    } catch (error) {
      problems.push(`function "${fn.name}": ${(error as Error).message}`);
    }
  }
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const a = parsed[i];
      const b = parsed[j];
      if (!a || !b) continue;
      const shared = a.fn.methods.filter((m: Method) => b.fn.methods.includes(m));
      if (shared.length > 0 && sameShape(a.segments, b.segments)) {
        problems.push(
          `functions "${a.fn.name}" (${a.fn.route}) and "${b.fn.name}" (${b.fn.route}) both answer ${shared.join(', ')} on the same route`,
        );
      }
    }
  }
  return problems;
}
