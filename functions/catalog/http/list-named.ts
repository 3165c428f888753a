import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { listNamed } from '../brands-categories.service.js';
import { catalogDeps } from '../catalog.deps.js';
import { namedSchema } from '../catalog.schemas.js';
import { namedRoutes, type NamedKind } from './named-routes.js';

/** GET product/brands and product/categories. */
export const listNamedHttp = (kind: NamedKind) =>
  defineHttp({
    name: `catalog-list-${kind}`,
    route: namedRoutes[kind].route,
    methods: ['GET'],
    access: 'public',
    bodyKind: 'none',
    response: z.array(namedSchema),
    summary: `Every ${namedRoutes[kind].one}, by name`,
    tags: ['catalog'],
    async handler() {
      return ok(await listNamed(catalogDeps(), kind));
    },
  });
