import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { publicAnswer } from '../../../shared/http/conditional.js';
import { listNamedRead } from '../brands-categories.service.js';
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
    summary: `Every ${namedRoutes[kind].one}, by name (a strong ETag; If-None-Match answers 304 while unchanged)`,
    tags: ['catalog'],
    handler({ baseUrl, headers }) {
      const deps = catalogDeps();
      return listNamedRead(deps, kind, baseUrl).then((read) =>
        publicAnswer(read, headers, deps.cacheSeconds),
      );
    },
  });
