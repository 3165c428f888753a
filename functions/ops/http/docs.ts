import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { notFound } from '../../../shared/http/errors.js';
import { openApiDocument } from '../../../shared/http/openapi.js';
import { rawResponse } from '../../../shared/http/types.js';
import { registry } from '../../../shared/functions/registry.js';
import { currentPlatform } from '../../../shared/platform/current.js';
import { routeOutcomes } from '../route-outcomes.generated.js';

const swaggerDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

let cachedDocument: string | undefined;

export const openApiJson = defineHttp({
  name: 'ops-openapi',
  route: 'openapi.json',
  methods: ['GET'],
  access: 'public',
  bodyKind: 'none',
  summary: 'The OpenAPI document, generated from the zod schemas of every route',
  tags: ['operations'],
  async handler() {
    cachedDocument ??= JSON.stringify(
      openApiDocument(
        registry.http,
        { title: `${currentPlatform().config.SHOP_NAME} API`, version: '1.0.0' },
        routeOutcomes,
      ),
    );
    return rawResponse(cachedDocument, 'application/json; charset=utf-8');
  },
});

export const docsPage = defineHttp({
  name: 'ops-docs',
  route: 'docs',
  methods: ['GET'],
  access: 'public',
  bodyKind: 'none',
  summary: 'Interactive API documentation (Swagger UI, served from the npm package)',
  tags: ['operations'],
  async handler() {
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>API docs</title>
<link rel="icon" href="/api/docs/assets/favicon-32x32.png"><link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div><script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', deepLinking: true, persistAuthorization: true });</script>
</body></html>`;
    return rawResponse(html, 'text/html; charset=utf-8');
  },
});

export const docsAsset = defineHttp({
  name: 'ops-docs-asset',
  route: 'docs/assets/{file}',
  methods: ['GET'],
  access: 'public',
  bodyKind: 'none',
  params: z.object({ file: z.string() }),
  summary: 'Static files of the docs page',
  tags: ['operations'],
  async handler({ params }) {
    // Own keys only: `__proto__` or `constructor` name nothing here, not Object.prototype's members.
    const type = Object.hasOwn(assets, params.file) ? assets[params.file] : undefined;
    if (!type) throw notFound('No such file.');
    const bytes = await fs.readFile(path.join(swaggerDir, params.file));
    return rawResponse(bytes, type, 200, { 'cache-control': 'public, max-age=86400' });
  },
});
