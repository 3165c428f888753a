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

/** What a constrained parameter accepts, as the Functions host (ASP.NET routing) reads it. */
const accepts: Record<string, (text: string) => boolean> = {
  int: (t) => /^-?\d{1,10}$/.test(t) && Math.abs(Number(t)) <= 2_147_483_648,
  long: (t) => /^-?\d{1,19}$/.test(t),
  alpha: (t) => /^[A-Za-z]+$/.test(t),
  guid: (t) => /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/.test(t),
  bool: (t) => /^(true|false)$/i.test(t),
};

/** True when a parameter's constraint lets this text through (no constraint: anything). */
export function constraintAccepts(constraint: string | undefined, text: string): boolean {
  return constraint === undefined || (accepts[constraint]?.(text) ?? true);
}

// Constraints no text satisfies together: a number is never a guid, alphabetic or a boolean word.
const disjoint = new Set([
  'int|alpha',
  'int|guid',
  'int|bool',
  'long|alpha',
  'long|guid',
  'long|bool',
  'alpha|guid',
]);

function segmentsOverlap(a: RouteSegment, b: RouteSegment): boolean {
  if (a.kind === 'literal' && b.kind === 'literal') return a.value === b.value;
  if (a.kind === 'literal') return constraintAccepts(b.constraint, a.value);
  if (b.kind === 'literal') return constraintAccepts(a.constraint, b.value);
  if (!a.constraint || !b.constraint || a.constraint === b.constraint) return true;
  return !disjoint.has(`${a.constraint}|${b.constraint}`) && !disjoint.has(`${b.constraint}|${a.constraint}`);
}

/**
 * True when some path matches both routes. The Functions host does not prefer a literal segment to
 * a parameter (it takes routes in registration order), so two routes of one method that can match
 * the same path would be answered by whichever it registered first: a parameter beside a literal
 * needs a constraint that the literal does not satisfy (`product/{id:int}` beside `product/brands`).
 */
export function routesOverlap(a: RouteSegment[], b: RouteSegment[]): boolean {
  const [x, ...restA] = a;
  const [y, ...restB] = b;
  if (x === undefined && y === undefined) return true;
  if (x?.kind === 'catchAll' || y?.kind === 'catchAll') return true;
  if (x === undefined) return y?.kind === 'param' && y.optional === true && routesOverlap([], restB);
  if (y === undefined) return x.kind === 'param' && x.optional === true && routesOverlap(restA, []);
  if (x.kind === 'param' && x.optional && routesOverlap(restA, b)) return true;
  if (y.kind === 'param' && y.optional && routesOverlap(a, restB)) return true;
  return segmentsOverlap(x, y) && routesOverlap(restA, restB);
}
