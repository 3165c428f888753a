import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { deleteNamed } from '../brands-categories.service.js';
import { catalogDeps } from '../catalog.deps.js';
import { namedIdQuery } from '../catalog.schemas.js';
import { namedRoutes, type NamedKind } from './named-routes.js';

/** DELETE product/brands?id= and product/categories?id=. */
export const deleteNamedHttp = (kind: NamedKind) =>
  defineHttp({
    name: `catalog-delete-${namedRoutes[kind].one}`,
    route: namedRoutes[kind].route,
    methods: ['DELETE'],
    access: 'admin',
    bodyKind: 'none',
    query: namedIdQuery,
    response: z.null(),
    summary: `Delete a ${namedRoutes[kind].one} (?id=); refused with 409 while a product uses it`,
    tags: ['catalog'],
    async handler({ query }) {
      await deleteNamed(catalogDeps(), kind, query.id);
      return ok(null, `The ${namedRoutes[kind].one} was deleted.`);
    },
  });
