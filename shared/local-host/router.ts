import type { AnyHttpFunction } from '../http/types.js';
import { parseRoute, type RouteSegment } from '../functions/naming.js';

interface CompiledRoute {
  fn: AnyHttpFunction;
  pattern: RegExp;
  names: string[];
  rank: number[];
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

// Lower rank wins, segment by segment: a literal beats a constrained parameter, which beats a
// plain one, which beats a catch-all (ASP.NET routing's precedence, which the Functions host uses).
function segmentRank(s: RouteSegment): number {
  if (s.kind === 'literal') return 0;
  if (s.kind === 'catchAll') return 3;
  return s.constraint ? 1 : 2;
}

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
  return { fn, pattern: new RegExp(`^${source}/?$`, 'i'), names, rank: segments.map(segmentRank) };
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** Matches paths below /api against the registry, case-insensitively, with the host's precedence. */
export class Router {
  readonly #routes: CompiledRoute[];

  constructor(functions: AnyHttpFunction[]) {
    this.#routes = functions.map(compile).sort((a, b) => compareRank(a.rank, b.rank));
  }

  match(method: string, path: string): RouteMatch {
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (!route.fn.methods.includes(method as never)) {
        route.fn.methods.forEach((x: string) => allowed.add(x));
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        const value = m[i + 1];
        if (value !== undefined) params[name] = safeDecode(value);
      });
      return { kind: 'found', fn: route.fn, params };
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
