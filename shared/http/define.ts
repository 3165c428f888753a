import type { Access, HttpFunctionDefinition } from './types.js';

/**
 * Declares an HTTP function. Only a typed identity: it lets TypeScript infer params/query/body from
 * the zod schemas so the handler sees parsed values. Registration happens in a domain's index.ts.
 */
export function defineHttp<P = undefined, Q = undefined, B = undefined, A extends Access = Access>(
  definition: HttpFunctionDefinition<P, Q, B, A>,
): HttpFunctionDefinition<P, Q, B, A> {
  return definition;
}
