import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { createNamed } from '../brands-categories.service.js';
import { catalogDeps } from '../catalog.deps.js';
import { namedBody, namedSchema } from '../catalog.schemas.js';
import { namedRoutes, type NamedKind } from './named-routes.js';

/** POST product/brands and product/categories: `{ name }` (an `id` is ignored). */
export const createNamedHttp = (kind: NamedKind) =>
  defineHttp({
    name: `catalog-create-${namedRoutes[kind].one}`,
    route: namedRoutes[kind].route,
    methods: ['POST'],
    access: 'admin',
    bodyKind: 'json',
    body: namedBody,
    response: namedSchema,
    summary: `Create a ${namedRoutes[kind].one} (409 when the name exists, ignoring case)`,
    tags: ['catalog'],
    async handler({ body }) {
      return ok(
        await createNamed(catalogDeps(), kind, body.name),
        `The ${namedRoutes[kind].one} was created.`,
      );
    },
  });
