import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { renameNamed } from '../brands-categories.service.js';
import { catalogDeps } from '../catalog.deps.js';
import { namedSchema, namedUpdateBody } from '../catalog.schemas.js';
import { namedRoutes, type NamedKind } from './named-routes.js';

/** PUT product/brands and product/categories: `{ id, name }`. */
export const updateNamedHttp = (kind: NamedKind) =>
  defineHttp({
    name: `catalog-update-${namedRoutes[kind].one}`,
    route: namedRoutes[kind].route,
    methods: ['PUT'],
    access: 'admin',
    bodyKind: 'json',
    body: namedUpdateBody,
    response: namedSchema,
    summary: `Rename a ${namedRoutes[kind].one} (404 when unknown, 409 when the name exists)`,
    tags: ['catalog'],
    async handler({ body }) {
      return ok(
        await renameNamed(catalogDeps(), kind, body.id, body.name),
        `The ${namedRoutes[kind].one} was renamed.`,
      );
    },
  });
