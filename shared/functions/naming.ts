import { parseRoute, routesOverlap, type RouteSegment } from '../http/routes.js';
import type { AnyHttpFunction, Method } from '../http/types.js';

const functionName = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

/**
 * Checks what the Azure host would refuse or route unpredictably: invalid or duplicate function
 * names, malformed templates, and two functions of one method that a single path could reach.
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
      if (shared.length > 0 && routesOverlap(a.segments, b.segments)) {
        problems.push(
          `functions "${a.fn.name}" (${a.fn.route}) and "${b.fn.name}" (${b.fn.route}) can both answer ${shared.join(', ')} on one path; the Functions host would pick whichever it registered first: give the parameter a constraint such as {id:int}`,
        );
      }
    }
  }
  return problems;
}
