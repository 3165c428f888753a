import type { AnyHttpFunction } from '../http/types.js';
import { constraintAccepts, parseRoute } from '../http/routes.js';

interface CompiledRoute {
  fn: AnyHttpFunction;
  pattern: RegExp;
  names: string[];
  constraints: (string | undefined)[];
}

export type RouteMatch =
  | { kind: 'found'; fn: AnyHttpFunction; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

const constraintPatterns: Record<string, string> = {
  int: '-?\\d+',
  long: '-?\\d+',
  alpha: '[A-Za-z]+',
  guid: '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}',
  bool: '(?:true|false)',
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(fn: AnyHttpFunction): CompiledRoute {
  const segments = parseRoute(fn.route);
  const names: string[] = [];
  let source = '';
  for (const s of segments) {
    if (s.kind === 'literal') source += `/${escape(s.value)}`;
    else if (s.kind === 'catchAll') {
      names.push(s.value);
      source += '(?:/(.*))?';
    } else {
      names.push(s.value);
      const body = `(${constraintPatterns[s.constraint ?? ''] ?? '[^/]+'})`;
      source += s.optional ? `(?:/${body})?` : `/${body}`;
    }
  }
  const constraints = segments.filter((x) => x.kind !== 'literal').map((x) => x.constraint);
  return { fn, pattern: new RegExp(`^${source}/?$`, 'i'), names, constraints };
}

/**
 * Matches paths below /api against the registry, case-insensitively and with the parameter
 * constraints, in registration order, like the Functions host. It does not rank literals above
 * parameters, because the host does not: the registry refuses two routes of one method that a path
 * could both reach (naming.ts routesOverlap), so order never decides.
 */
export class Router {
  readonly #routes: CompiledRoute[];

  constructor(functions: AnyHttpFunction[]) {
    this.#routes = functions.map(compile);
  }

  /** Recent answers by method and path (a storefront asks for the same few paths over and over). */
  readonly #recent = new Map<string, RouteMatch>();

  match(method: string, path: string): RouteMatch {
    const key = `${method} ${path}`;
    const known = this.#recent.get(key);
    if (known) return known;
    const found = this.#match(method, path);
    // Bounded: at most 1,000 paths of a reasonable length (any client can send any path).
    if (path.length <= 200) {
      if (this.#recent.size >= 1000) this.#recent.clear();
      this.#recent.set(key, found);
    }
    return found;
  }

  #match(method: string, path: string): RouteMatch {
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const m = route.pattern.exec(path);
      if (
        !m ||
        !route.constraints.every((c, i) => m[i + 1] === undefined || constraintAccepts(c, m[i + 1] ?? ''))
      )
        continue;
      if (!route.fn.methods.includes(method as never)) {
        route.fn.methods.forEach((x: string) => allowed.add(x));
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        const value = m[i + 1];
        if (value !== undefined) params[name] = safeDecode(value);
      });
      return { kind: 'found', fn: route.fn, params: Object.freeze(params) };
    }
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
