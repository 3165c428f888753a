import { ok, type AnyHttpFunction, type Method } from '../http/types.js';

/** A public, body-less HTTP function that answers null: for router and registry tests. */
export const anHttpFunction = (
  name: string,
  route: string,
  methods: Method[] = ['GET'],
): AnyHttpFunction => ({
  name,
  route,
  methods,
  access: 'public',
  bodyKind: 'none',
  summary: name,
  tags: [],
  handler: async () => ok(null),
});
