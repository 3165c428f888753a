/**
 * The consistency checks between the code (function registry, event catalogue, config schema,
 * OpenAPI generator) and the infrastructure (bicep/, apim-policies/).
 *
 * - sourceChecks(): need only Node; run by `npm test` (consistency.test.ts) and by run.sh.
 * - snapshotChecks(): read what Bicep would deploy, as evaluated by `bicep snapshot`
 *   (tools/infra-check/check*.bicepparam); run by run.sh, which has the Bicep CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../shared/config/config.js';
import { serviceBusConnection } from '../../shared/functions/azure-host.js';
import { registryProblems } from '../../shared/functions/naming.js';
import { publicCacheControl } from '../../shared/http/conditional.js';
import { parseRoute } from '../../shared/http/routes.js';
import { openApiDocument } from '../../shared/http/openapi.js';
import type { AnyHttpFunction } from '../../shared/http/types.js';
import {
  bicepDir,
  catalogueTopics,
  declaredTopics,
  expectedDatabases,
  expectedMessaging,
  expectedOperations,
  apimTierFeatures,
  cachedCatalogRoutes,
  featuresNeeded,
  sourceFiles,
  files,
  gatewayValidatedAccess,
  operationName,
  policiesDir,
  repoRoot,
  readJson,
  registry,
  routeKey,
  strictRateLimitRoutes,
  type ApimOperation,
  type Databases,
  type Messaging,
} from './model.js';
import { xmlProblems } from './xml.js';

export interface Check {
  name: string;
  /** Problems found; empty when the check passes. */
  run(): string[];
}

const fixHint = 'run `node --import tsx tools/infra-check/consistency.ts --write` and review the diff';

const policyFile = (relative: string) => path.join(policiesDir, relative);
const readPolicy = (relative: string) => fs.readFileSync(policyFile(relative), 'utf8');

/** Every policy file under apim-policies/, relative paths. */
export function policyFiles(): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(full);
      return entry.name.endsWith('.xml') ? [path.relative(policiesDir, full)] : [];
    });
  return walk(policiesDir).sort();
}

const withoutComments = (xml: string) => xml.replace(/<!--[\s\S]*?-->/g, '');

function diffByName<T extends { name: string }>(label: string, actual: T[], expected: T[]): string[] {
  const problems: string[] = [];
  const actualByName = new Map(actual.map((a) => [a.name, a]));
  const expectedByName = new Map(expected.map((e) => [e.name, e]));
  for (const e of expected) {
    const a = actualByName.get(e.name);
    if (!a) problems.push(`${label} ${e.name} is missing: ${JSON.stringify(e)}`);
    else if (JSON.stringify(a) !== JSON.stringify(e))
      problems.push(`${label} ${e.name} differs: has ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`);
  }
  for (const a of actual)
    if (!expectedByName.has(a.name)) problems.push(`${label} ${a.name} is not in the registry`);
  if (actual.length !== actualByName.size) problems.push(`${label} names are not unique`);
  return problems;
}

/** Named values the Bicep declares (modules/api-management.bicep), read from its source. */
function declaredNamedValues(): string[] {
  const source = fs.readFileSync(path.join(bicepDir, 'modules/api-management.bicep'), 'utf8');
  return [
    ...source.matchAll(
      /'Microsoft\.ApiManagement\/service\/namedValues@[^']+'\s*=\s*\{\s*parent:\s*\w+\s*name:\s*'([^']+)'/g,
    ),
  ].map((m) => m[1] ?? '');
}

/** Two operations a request could match both of: same method, and each segment pair equal or templated. */
function overlap(a: ApimOperation, b: ApimOperation): boolean {
  if (a.method !== b.method) return false;
  const sa = a.urlTemplate.split('/');
  const sb = b.urlTemplate.split('/');
  if (sa.length !== sb.length) return false;
  return sa.every((s, i) => {
    const t = sb[i] ?? '';
    return s.startsWith('{') || t.startsWith('{') || s.toLowerCase() === t.toLowerCase();
  });
}

export function sourceChecks(): Check[] {
  const messaging = () => readJson<Messaging>(files.messaging);
  const operations = () => readJson<{ operations: ApimOperation[] }>(files.operations).operations;
  const operationsOf = (fn: AnyHttpFunction) => {
    const names = fn.methods.map((m) => operationName(fn, m));
    return operations().filter((o) => names.includes(o.name));
  };

  return [
    {
      name: 'the function registry is valid for the Azure host',
      run: () =>
        registryProblems([...registry.http, ...registry.consumers, ...registry.timers], registry.http),
    },
    {
      name: "bicep/messaging.json lists the registry's topics and consumer subscriptions exactly",
      run: () => {
        const actual = messaging();
        const expected = expectedMessaging();
        const problems: string[] = [];
        if (JSON.stringify(actual.topics) !== JSON.stringify(expected.topics))
          problems.push(
            `topics are ${JSON.stringify(actual.topics)}, shared/events/define.ts declares ${JSON.stringify(expected.topics)}`,
          );
        if (actual.maxDeliveryCount !== expected.maxDeliveryCount)
          problems.push(
            `maxDeliveryCount is ${actual.maxDeliveryCount}, the embedded bus uses ${expected.maxDeliveryCount} (MAX_DELIVERY_COUNT)`,
          );
        problems.push(...diffByName('subscription', actual.subscriptions, expected.subscriptions));
        return problems.length > 0 ? [...problems, fixHint] : [];
      },
    },
    {
      name: 'every event topic and every consumer topic is a Service Bus topic',
      run: () => {
        const topics = messaging().topics;
        const problems = catalogueTopics()
          .filter((t) => !topics.includes(t))
          .map((t) => `event topic "${t}" has no topic in bicep/messaging.json`);
        for (const c of registry.consumers)
          if (!topics.includes(c.event.topic))
            problems.push(
              `consumer ${c.name} reads topic "${c.event.topic}", which bicep/messaging.json lacks`,
            );
        for (const t of declaredTopics())
          if (!/^[a-z][a-z0-9-]{0,49}$/.test(t)) problems.push(`topic "${t}" is not a valid topic name`);
        return problems;
      },
    },
    {
      name: 'bicep/apim-operations.json has exactly one operation per registered route and method',
      run: () => {
        const problems = diffByName('operation', operations(), expectedOperations());
        const names = operations().map((o) => o.name.toLowerCase());
        if (new Set(names).size !== names.length) problems.push('operation names clash (case-insensitive)');
        for (const o of operations()) {
          if (o.name.length > 80) problems.push(`operation ${o.name}: APIM allows 80 characters`);
          const declared = [...o.urlTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
          const listed = o.templateParameters.map((p) => p.name);
          if (JSON.stringify(declared) !== JSON.stringify(listed))
            problems.push(`operation ${o.name}: template parameters ${listed} do not match ${o.urlTemplate}`);
        }
        return problems.length > 0 ? [...problems, fixHint] : [];
      },
    },
    {
      name: 'validate-jwt guards every user/admin route and no public, optional or webhook route',
      run: () => {
        const problems: string[] = [];
        for (const fn of registry.http) {
          const ops = operationsOf(fn);
          if (ops.length !== fn.methods.length)
            problems.push(`${fn.name}: ${ops.length} APIM operations for ${fn.methods.length} methods`);
          const mustValidate = gatewayValidatedAccess.includes(fn.access);
          for (const op of ops) {
            if (mustValidate && op.policy !== 'protected')
              problems.push(
                `${op.name} (${fn.access}) ${op.method} ${fn.route} is not guarded by validate-jwt`,
              );
            if (!mustValidate && op.policy === 'protected')
              problems.push(`${op.name} (${fn.access}) ${op.method} ${fn.route} must not validate a JWT`);
          }
        }
        return problems;
      },
    },
    {
      name: 'login, register and forgot/reset password get the stricter per-IP rate limit',
      run: () => {
        const problems: string[] = [];
        for (const key of strictRateLimitRoutes) {
          const [method = '', route = ''] = key.split(' ');
          const fn = registry.http.find(
            (f) => f.route.toLowerCase() === route && f.methods.includes(method as never),
          );
          if (!fn) {
            problems.push(`${key} is not a registered route (update strictRateLimitRoutes in model.ts)`);
            continue;
          }
          if (fn.access !== 'public') problems.push(`${key} is ${fn.access}, expected public`);
          const op = operationsOf(fn).find((o) => o.method === method);
          if (op?.policy !== 'strict-rate-limit')
            problems.push(`${key}: operation policy is "${op?.policy}"`);
        }
        for (const op of operations())
          if (op.policy === 'strict-rate-limit') {
            const fn = registry.http.find((f) => f.methods.some((m) => operationName(f, m) === op.name));
            if (!fn || !strictRateLimitRoutes.includes(routeKey(op.method, fn.route)))
              problems.push(`${op.name} has the strict rate limit but is not in strictRateLimitRoutes`);
          }
        return problems;
      },
    },
    {
      name: "the catalog's public GETs (and only they) may be cached at the gateway: Authorization-bearing requests, one entry for every shopper, varied by every list parameter",
      run: () => {
        const problems: string[] = [];
        for (const key of cachedCatalogRoutes) {
          const [method = '', route = ''] = key.split(' ');
          const fn = registry.http.find(
            (f) => f.route.toLowerCase() === route && f.methods.includes(method as never),
          );
          if (!fn) {
            problems.push(`${key} is not a registered route (update cachedCatalogRoutes in model.ts)`);
            continue;
          }
          if (fn.access !== 'public')
            problems.push(`${key} is ${fn.access}: only public answers may be shared`);
          const op = operationsOf(fn).find((o) => o.method === method);
          if (op?.policy !== 'catalog-cache') problems.push(`${key}: operation policy is "${op?.policy}"`);
        }
        for (const op of operations())
          if (op.policy === 'catalog-cache' && op.method !== 'GET')
            problems.push(`${op.name}: only GETs may be cached, not ${op.method}`);
        const xml = withoutComments(readPolicy('operations/catalog-cache.xml'));
        const lookup = /<cache-lookup\b([^>]*)>([\s\S]*?)<\/cache-lookup>/.exec(xml);
        if (!lookup) return [...problems, 'operations/catalog-cache.xml has no cache-lookup'];
        const attributes = lookup[1] ?? '';
        if (!/allow-private-response-caching="true"/.test(attributes))
          problems.push(
            'cache-lookup needs allow-private-response-caching="true" (the storefront always sends Authorization)',
          );
        if (!/vary-by-developer="false"/.test(attributes))
          problems.push('cache-lookup must not vary by developer');
        if (/<vary-by-header>\s*Authorization\s*</i.test(lookup[2] ?? ''))
          problems.push(
            'cache-lookup varies by Authorization: public routes ignore it, so that would cache per token',
          );
        const varied = [...(lookup[2] ?? '').matchAll(/<vary-by-query-parameter>([^<]+)</g)].map((m) =>
          m[1]?.trim(),
        );
        const list = registry.http.find((f) => f.route === 'product' && f.methods.includes('GET'));
        const shape = (list?.query as unknown as { shape?: Record<string, unknown> } | undefined)?.shape;
        const parameters = Object.keys(shape ?? {});
        if (parameters.length === 0)
          problems.push('the list route GET product has no query schema to compare');
        if (JSON.stringify([...varied].sort()) !== JSON.stringify([...parameters].sort()))
          problems.push(
            `cache-lookup varies by ${varied.join(', ')}; the list's parameters are ${parameters.join(', ')}`,
          );
        if (!/<cache-store duration="\{\{catalog-cache-seconds\}\}"\s*\/>/.test(xml))
          problems.push('cache-store must keep answers for {{catalog-cache-seconds}} (the TTL parameter)');
        if (!configSettingNames().includes('CATALOG_CACHE_SECONDS'))
          problems.push('CATALOG_CACHE_SECONDS is not a setting: the function could not say the same TTL');
        if (publicCacheControl(30) !== 'public, max-age=30' || publicCacheControl(0) !== 'no-cache')
          problems.push("the function's Cache-Control does not follow CATALOG_CACHE_SECONDS");
        return problems;
      },
    },
    {
      name: 'webhook routes pass the raw body through (no policy reads or rewrites a body)',
      run: () => {
        const problems: string[] = [];
        for (const fn of registry.http.filter((f) => f.access === 'webhook'))
          for (const op of operationsOf(fn))
            if (op.policy !== 'webhook') problems.push(`${op.name} (webhook) has policy "${op.policy}"`);
        for (const file of policyFiles()) {
          // A body set in on-error is the error response's, not the request's.
          const xml = withoutComments(readPolicy(file)).replace(/<on-error>[\s\S]*?<\/on-error>/g, '');
          if (/context\.Request\.Body|<set-body\b/.test(xml))
            problems.push(`${file} reads or rewrites a body; the Stripe signature needs the raw bytes`);
        }
        return problems;
      },
    },
    {
      name: 'no request can match two operations with different policies',
      run: () => {
        const ops = operations();
        const problems: string[] = [];
        for (let i = 0; i < ops.length; i++)
          for (let j = i + 1; j < ops.length; j++) {
            const a = ops[i];
            const b = ops[j];
            if (a && b && a.policy !== b.policy && overlap(a, b))
              problems.push(
                `${a.method} ${a.urlTemplate} (${a.policy || 'none'}) and ${b.urlTemplate} (${b.policy || 'none'}) can match the same request`,
              );
          }
        return problems;
      },
    },
    {
      name: 'APIM policy files are well-formed and use only known fragments and named values',
      run: () => {
        const problems: string[] = [];
        const namedValues = declaredNamedValues();
        for (const file of policyFiles()) {
          const xml = readPolicy(file);
          problems.push(...xmlProblems(xml).map((p) => `${file}: ${p}`));
          const body = withoutComments(xml).trim();
          if (file.startsWith('fragments/')) {
            if (!body.startsWith('<fragment>')) problems.push(`${file}: a fragment's root is <fragment>`);
            if (/<base\s*\/>|<(inbound|backend|outbound|on-error)\b/.test(body))
              problems.push(`${file}: fragments hold no sections and no <base />`);
          } else {
            if (!body.startsWith('<policies>')) problems.push(`${file}: the root is <policies>`);
            for (const section of ['inbound', 'backend', 'outbound', 'on-error'])
              if (!new RegExp(`<${section}>`).test(body)) problems.push(`${file}: no <${section}> section`);
            if (file !== 'global.xml' && (body.match(/<base \/>/g) ?? []).length !== 4)
              problems.push(`${file}: every section must start with <base /> (inherit the outer scope)`);
          }
          for (const m of body.matchAll(/<include-fragment fragment-id="([^"]+)"/g))
            if (!fs.existsSync(policyFile(`fragments/${m[1]}.xml`)))
              problems.push(`${file}: fragment ${m[1]} has no apim-policies/fragments/${m[1]}.xml`);
          for (const m of body.matchAll(/\{\{([^}]+)\}\}/g))
            if (!namedValues.includes(m[1] ?? ''))
              problems.push(
                `${file}: named value {{${m[1]}}} is not declared in modules/api-management.bicep`,
              );
        }
        const used = new Set(
          operations()
            .map((o) => o.policy)
            .filter((p) => p !== ''),
        );
        for (const policy of used)
          if (!fs.existsSync(policyFile(`operations/${policy}.xml`)))
            problems.push(`operation policy "${policy}" has no apim-policies/operations/${policy}.xml`);
        return problems;
      },
    },
    {
      name: 'validate-jwt (openid-config {{openid-config-url}}) appears only in the protected-operation policy',
      run: () => {
        const problems: string[] = [];
        for (const file of policyFiles()) {
          const body = withoutComments(readPolicy(file));
          const has = /<validate-jwt\b/.test(body);
          if (file === 'operations/protected.xml') {
            if (!has) problems.push(`${file} has no validate-jwt`);
            const expectations: [RegExp, string][] = [
              [
                /<openid-config url="\{\{openid-config-url\}\}"\s*\/>/,
                'openid-config url="{{openid-config-url}}"',
              ],
              [/<audience>\{\{jwt-audience\}\}<\/audience>/, 'audience {{jwt-audience}}'],
              [/<issuer>\{\{jwt-issuer\}\}<\/issuer>/, 'issuer {{jwt-issuer}}'],
              [/header-name="Authorization"/, 'header-name="Authorization"'],
              [/require-scheme="Bearer"/, 'require-scheme="Bearer"'],
              [
                /failed-validation-httpcode="401"/,
                'failed-validation-httpcode="401" (the storefront refreshes on 401)',
              ],
            ];
            for (const [pattern, what] of expectations)
              if (!pattern.test(body)) problems.push(`${file}: needs ${what}`);
          } else if (has) problems.push(`${file} validates a JWT; only operations/protected.xml may`);
        }
        return problems;
      },
    },
    {
      name: 'global policy: CORS first, per-IP rate limit, x-correlation-id in and out, server headers removed',
      run: () => {
        const body = withoutComments(readPolicy('global.xml'));
        const raw = readPolicy('global.xml');
        const problems: string[] = [];
        const inbound = /<inbound>([\s\S]*?)<\/inbound>/.exec(body)?.[1] ?? '';
        const outbound = /<outbound>([\s\S]*?)<\/outbound>/.exec(body)?.[1] ?? '';
        const onError = /<on-error>([\s\S]*?)<\/on-error>/.exec(body)?.[1] ?? '';
        if (!/^\s*<cors\b/.test(inbound)) problems.push('cors must be the first inbound policy');
        if (!raw.includes('<allowed-origins>\n        <!-- storefront-origins -->'))
          problems.push('the <!-- storefront-origins --> marker must be inside <allowed-origins>');
        if (!/<include-fragment fragment-id="client-rate-limit"\s*\/>/.test(inbound))
          problems.push('no per-IP rate limit (include-fragment client-rate-limit) inbound');
        for (const [section, text] of [
          ['inbound', inbound],
          ['outbound', outbound],
          ['on-error', onError],
        ] as const)
          if (!/<set-header name="x-correlation-id" exists-action="override">/.test(text))
            problems.push(`x-correlation-id is not set in ${section}`);
        for (const header of ['Server', 'X-Powered-By'])
          for (const [section, text] of [
            ['outbound', outbound],
            ['on-error', onError],
          ] as const)
            if (!new RegExp(`<set-header name="${header}" exists-action="delete"\\s*/>`).test(text))
              problems.push(`${header} is not removed in ${section}`);
        const limit = withoutComments(readPolicy('fragments/client-rate-limit.xml'));
        if (!/<rate-limit-by-key\b[^>]*counter-key="@\(context\.Request\.IpAddress\)"/.test(limit))
          problems.push('fragments/client-rate-limit.xml must limit by context.Request.IpAddress');
        const strict = withoutComments(readPolicy('fragments/strict-client-rate-limit.xml'));
        if (!/<rate-limit-by-key\b[^>]*counter-key='@\(context\.Request\.IpAddress \+/.test(strict))
          problems.push('fragments/strict-client-rate-limit.xml must limit by client IP');
        // The gateway's own errors (401, 429, 404) in the backend's envelope, readable by the storefront.
        const response = /<return-response>([\s\S]*?)<\/return-response>/.exec(onError)?.[1] ?? '';
        if (!response) problems.push('on-error must answer with <return-response> (the envelope)');
        for (const field of ['data', 'isSuccess', 'message', 'type', 'code'])
          if (!response.includes(`new JProperty("${field}"`))
            problems.push(`the on-error envelope lacks ${field}`);
        if (
          !/<set-header name="Access-Control-Allow-Origin"[\s\S]*?\{\{storefront-origins\}\}/.test(response)
        )
          problems.push(
            'on-error must echo an allowed Origin ({{storefront-origins}}) in Access-Control-Allow-Origin',
          );
        if (!/application\/json/.test(response)) problems.push('on-error must answer JSON');
        return problems;
      },
    },
    {
      name: 'API policy: the function key from its secret named value, the client address from the connection',
      run: () => {
        const body = withoutComments(readPolicy('api.xml'));
        const inbound = /<inbound>([\s\S]*?)<\/inbound>/.exec(body)?.[1] ?? '';
        const problems: string[] = [];
        if (
          !/<set-header name="x-functions-key" exists-action="override">\s*<value>\{\{functions-gateway-key\}\}<\/value>/.test(
            inbound,
          )
        )
          problems.push('api.xml must send x-functions-key from {{functions-gateway-key}}');
        if (
          !/<set-header name="x-shop-client-ip" exists-action="override">\s*<value>@\(context\.Request\.IpAddress\)<\/value>/.test(
            inbound,
          )
        )
          problems.push('api.xml must overwrite x-shop-client-ip with context.Request.IpAddress');
        const source = fs.readFileSync(path.join(repoRoot, 'shared/functions/azure-host.ts'), 'utf8');
        if (!/authLevel: 'function'/.test(source) || /authLevel: 'anonymous'/.test(source))
          problems.push(
            'shared/functions/azure-host.ts must register HTTP functions with authLevel "function"',
          );
        if (/\[\s*['"]x-forwarded-for['"]\s*\]/i.test(source))
          problems.push('azure-host.ts must not read X-Forwarded-For');
        return problems;
      },
    },
    {
      name: 'the OpenAPI document has a path and operation for every HTTP route, as APIM routes them',
      run: () => {
        const doc = openApiDocument(registry.http, { title: 'check', version: '0' }) as {
          paths: Record<string, Record<string, { operationId?: string }>>;
        };
        const problems: string[] = [];
        for (const fn of registry.http) {
          const apiPath =
            '/api/' +
            parseRoute(fn.route)
              .map((s) => (s.kind === 'literal' ? s.value : `{${s.value}}`))
              .join('/');
          for (const method of fn.methods) {
            const operation = doc.paths[apiPath]?.[method.toLowerCase()];
            if (!operation)
              problems.push(`${method} ${apiPath} (${fn.name}) is missing from the OpenAPI document`);
            else if (operation.operationId !== fn.name)
              problems.push(
                `${method} ${apiPath}: operationId ${operation.operationId}, expected ${fn.name}`,
              );
          }
        }
        const count = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
        const expected = registry.http.reduce((n, f) => n + f.methods.length, 0);
        if (count !== expected)
          problems.push(`the OpenAPI document has ${count} operations, the registry ${expected}`);
        for (const op of operations()) {
          const apiPath = `/api${op.urlTemplate}`.toLowerCase();
          const match = Object.keys(doc.paths).find((p) => p.toLowerCase() === apiPath);
          if (!match || !doc.paths[match]?.[op.method.toLowerCase()])
            problems.push(`APIM operation ${op.name} (${op.method} ${op.urlTemplate}) has no OpenAPI path`);
        }
        return problems;
      },
    },
    {
      name: 'bicep/main.parameters.json sets only parameters main.bicep declares, and every required one',
      run: () => {
        const source = fs.readFileSync(path.join(bicepDir, 'main.bicep'), 'utf8');
        const declared = [...source.matchAll(/^param (\w+) ([^=\n]+?)(\s*=.*)?$/gm)].map((m) => ({
          name: m[1] ?? '',
          required: m[3] === undefined && !(m[2] ?? '').trim().endsWith('?'),
        }));
        const given = Object.keys(
          readJson<{ parameters: Record<string, unknown> }>(path.join(bicepDir, 'main.parameters.json'))
            .parameters,
        );
        const problems = given
          .filter((g) => !declared.some((d) => d.name === g))
          .map((g) => `main.parameters.json sets ${g}, which main.bicep does not declare`);
        for (const d of declared.filter((p) => p.required && !given.includes(p.name)))
          problems.push(`main.bicep requires ${d.name}, which main.parameters.json does not set`);
        return problems;
      },
    },
    {
      name: 'azure.yaml deploys the repository as the Function App from bicep/, with the database hooks',
      run: () => {
        const yaml = fs.readFileSync(path.join(bicepDir, '../azure.yaml'), 'utf8');
        const problems: string[] = [];
        for (const [pattern, what] of [
          [/^infra:\n(?: {2}.*\n)*? {2}path: bicep$/m, 'infra.path: bicep'],
          [/^services:\n {2}api:\n(?: {4}.*\n)*? {4}host: function$/m, 'services.api.host: function'],
          [/^services:\n {2}api:\n(?: {4}.*\n)*? {4}language: ts$/m, 'services.api.language: ts'],
          [/^services:\n {2}api:\n(?: {4}.*\n)*? {4}project: \.$/m, 'services.api.project: .'],
          [/^ {2}postprovision:$/m, 'a postprovision hook'],
          [
            /^ {2}predeploy:\n(?: {4}.*\n)*? {6}run: node bicep\/hooks\/database\.mjs$/m,
            'a predeploy hook that migrates',
          ],
          [
            /^ {2}postdeploy:\n(?: {4}.*\n)*? {6}run: node bicep\/hooks\/database\.mjs --after-deploy$/m,
            "a postdeploy hook that runs the domains' work for after a deployment",
          ],
        ] as const)
          if (!pattern.test(yaml)) problems.push(`azure.yaml needs ${what}`);
        for (const m of yaml.matchAll(/run: node (\S+)/g))
          if (!fs.existsSync(path.join(bicepDir, '..', m[1] ?? '')))
            problems.push(`hook script ${m[1]} does not exist`);
        const site = fs.readFileSync(path.join(bicepDir, 'modules/function-app.bicep'), 'utf8');
        if (!site.includes("'azd-service-name': 'api'"))
          problems.push(
            'the Function App must carry the tag azd-service-name: api (the service in azure.yaml)',
          );
        return problems;
      },
    },
    {
      name: 'bicep/databases.json has a database for every domain with migrations',
      run: () => {
        const actual = readJson<Databases>(files.databases).databases;
        const problems = expectedDatabases({ databases: actual })
          .databases.filter((d) => !actual.includes(d))
          .map((d) => `domain ${d} has migrations but no database in bicep/databases.json`);
        if (new Set(actual).size !== actual.length) problems.push('database names repeat');
        for (const d of actual)
          if (!/^[a-z][a-z0-9-]{0,63}$/.test(d)) problems.push(`"${d}" is not a domain database name`);
        return problems;
      },
    },
  ];
}

// --- What Bicep would deploy (bicep snapshot) -------------------------------------------------

export interface SnapshotResource {
  id: string;
  type: string;
  name: string;
  properties?: Record<string, unknown>;
  identity?: { type?: string; userAssignedIdentities?: Record<string, unknown> };
}

export interface Snapshot {
  predictedResources: SnapshotResource[];
  outputs?: Record<string, unknown>;
  diagnostics?: unknown[];
}

/** The parameters of a check*.bicepparam file (string values only). */
export function bicepparamValues(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/^param\s+(\w+)\s*=\s*(?:'([^']*)'|(-?\d+))/gm))
    values[m[1] ?? ''] = m[2] ?? m[3] ?? '';
  return values;
}

/** Settings of the Functions host itself (not read by shared/config/config.ts). */
const hostSettingPrefixes = ['AzureWebJobsStorage__', `${serviceBusConnection}__`];

/** What a Key Vault reference resolves to, in the shape the config schema checks (Stripe's key prefixes). */
const keyVaultSamples: Record<string, string> = {
  STRIPE_SECRET_KEY: 'sk_test_placeholder',
  STRIPE_WEBHOOK_SECRET: 'whsec_resolved-from-key-vault',
};

/** The settings every Azure deployment must set: the Azure adapters' and the Functions host's. */
export const requiredAppSettings = [
  'SQL_SERVER',
  'SQL_DATABASE_PREFIX',
  'AZURE_CLIENT_ID',
  'SERVICE_BUS_NAMESPACE',
  `${serviceBusConnection}__fullyQualifiedNamespace`,
  `${serviceBusConnection}__credential`,
  `${serviceBusConnection}__clientId`,
  'AzureWebJobsStorage__accountName',
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'BLOB_ACCOUNT_URL',
  'BLOB_CONTAINER',
  'ACS_ENDPOINT',
  'EMAIL_SENDER',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWT_SIGNING_KEYS',
  'PUBLIC_BASE_URL',
  'SHOP_URL',
  'DEMO_DATA',
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'CORS_ORIGINS',
  // Payments: Stripe in Azure (the local checkout page needs the local host).
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'STOREFRONT_ORIGINS',
  // The outbox sweep timer's schedule is %OUTBOX_SWEEP_SCHEDULE%: without the setting it never runs.
  'OUTBOX_SWEEP_SCHEDULE',
];

/** Every setting shared/config/config.ts reads (recorded by reading a Proxy environment). */
export function configSettingNames(): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get(_target, key) {
      if (typeof key === 'string') read.add(key);
      return undefined;
    },
  });
  try {
    loadConfig(env);
  } catch {
    // Only the names matter here.
  }
  return [...read];
}

const isExpression = (v: unknown) => typeof v === 'string' && v.startsWith('[') && v.endsWith(']');

export function snapshotChecks(
  snapshot: Snapshot,
  params: Record<string, string>,
  variant: 'full' | 'consumption',
): Check[] {
  const all = snapshot.predictedResources;
  const ofType = (type: string) => all.filter((r) => r.type.toLowerCase() === type.toLowerCase());
  const leaf = (r: SnapshotResource) => r.name.split('/').at(-1) ?? '';
  const props = (r: SnapshotResource | undefined) => (r?.properties ?? {}) as Record<string, unknown>;
  const appSettings = () =>
    props(ofType('Microsoft.Web/sites/config').find((r) => leaf(r) === 'appsettings'));
  const label = variant === 'consumption' ? ' (Consumption tier, no secrets)' : '';

  const checks: Check[] = [
    {
      name: `snapshot${label}: bicep snapshot evaluated the template without diagnostics`,
      run: () => [
        ...(snapshot.diagnostics ?? []).map((d) => JSON.stringify(d)),
        // Conditions stay unevaluated only where they depend on @secure() parameters.
        ...all
          .filter((r) => 'condition' in r && r.type !== 'Microsoft.KeyVault/vaults/secrets')
          .map((r) => `${r.type} ${r.name} has a condition the snapshot could not evaluate`),
      ],
    },
    {
      name: `snapshot${label}: Service Bus topics, subscriptions and event filters are the registry's`,
      run: () => {
        const expected = expectedMessaging();
        const problems: string[] = [];
        const topics = ofType('Microsoft.ServiceBus/namespaces/topics');
        if (JSON.stringify(topics.map(leaf)) !== JSON.stringify(expected.topics))
          problems.push(`topics ${topics.map(leaf)}, expected ${expected.topics}`);
        for (const t of topics)
          if (props(t)['requiresDuplicateDetection'] !== true)
            problems.push(`topic ${leaf(t)}: duplicate detection is off`);
        const subscriptions = ofType('Microsoft.ServiceBus/namespaces/topics/subscriptions');
        const rules = ofType('Microsoft.ServiceBus/namespaces/topics/subscriptions/rules');
        if (subscriptions.length !== expected.subscriptions.length)
          problems.push(`${subscriptions.length} subscriptions, ${expected.subscriptions.length} consumers`);
        for (const s of expected.subscriptions) {
          const sub = subscriptions.find((r) => r.name.endsWith(`/${s.topic}/${s.name}`));
          if (!sub) {
            problems.push(`no subscription ${s.name} on topic ${s.topic}`);
            continue;
          }
          const p = props(sub);
          if (p['maxDeliveryCount'] !== expected.maxDeliveryCount)
            problems.push(`${s.name}: maxDeliveryCount ${p['maxDeliveryCount']}`);
          if (p['deadLetteringOnMessageExpiration'] !== true) problems.push(`${s.name}: no dead-lettering`);
          const own = rules.filter((r) => r.name.startsWith(`${sub.name}/`));
          const filter = own[0] ? props(own[0]) : {};
          const filterLabel = (filter['correlationFilter'] as { label?: string } | undefined)?.label;
          if (own.length !== 1 || leaf(own[0] as SnapshotResource) !== '$Default')
            problems.push(`${s.name}: needs exactly one rule, named $Default (replacing the catch-all)`);
          if (filter['filterType'] !== 'CorrelationFilter' || filterLabel !== s.eventName)
            problems.push(`${s.name}: filter must be a correlation filter on label = ${s.eventName}`);
        }
        return problems;
      },
    },
    {
      name: `snapshot${label}: every APIM operation exists with its policy, validate-jwt only on protected ones`,
      run: () => {
        const problems: string[] = [];
        const operations = ofType('Microsoft.ApiManagement/service/apis/operations');
        const policies = ofType('Microsoft.ApiManagement/service/apis/operations/policies');
        const expected = expectedOperations();
        if (operations.length !== expected.length)
          problems.push(`${operations.length} operations deployed, ${expected.length} expected`);
        for (const e of expected) {
          const op = operations.find((r) => leaf(r) === e.name);
          const p = props(op);
          if (!op) {
            problems.push(`operation ${e.name} is not deployed`);
            continue;
          }
          if (p['method'] !== e.method || p['urlTemplate'] !== e.urlTemplate)
            problems.push(`${e.name}: deployed as ${p['method']} ${p['urlTemplate']}`);
          const policy = policies.find((r) => r.name === `${op.name}/policy`);
          const value = String(props(policy)['value'] ?? '');
          // The gateway cache is attached only with a TTL, on a tier that has the built-in cache.
          const cacheOff =
            e.policy === 'catalog-cache' &&
            (Number(params['catalogCacheSeconds'] ?? 0) === 0 || params['apimSku'] === 'Consumption');
          if (e.policy === '' || cacheOff) {
            if (policy) problems.push(`${e.name}: has an operation policy, expected none`);
            continue;
          }
          if (value !== readPolicy(`operations/${e.policy}.xml`))
            problems.push(`${e.name}: deployed policy is not apim-policies/operations/${e.policy}.xml`);
          if (props(policy)['format'] !== 'rawxml') problems.push(`${e.name}: policy format is not rawxml`);
          const validates = /<validate-jwt\b/.test(withoutComments(value));
          if (validates !== (e.policy === 'protected'))
            problems.push(
              `${e.name}: validate-jwt ${validates ? 'present' : 'absent'} for policy ${e.policy}`,
            );
        }
        return problems;
      },
    },
    {
      name: `snapshot${label}: global and API policies, fragments and named values`,
      run: () => {
        const problems: string[] = [];
        const settings = appSettings();
        const global = String(props(ofType('Microsoft.ApiManagement/service/policies')[0])['value'] ?? '');
        const origins = (params['corsOrigins'] ?? '').split(',').filter((o) => o !== '');
        const expectedOrigins = origins.length > 0 ? origins : [(params['shopUrl'] ?? '').replace(/\/$/, '')];
        const deployedOrigins = [...global.matchAll(/<origin>([^<]*)<\/origin>/g)].map((m) => m[1]);
        if (JSON.stringify(deployedOrigins) !== JSON.stringify(expectedOrigins))
          problems.push(
            `CORS origins ${JSON.stringify(deployedOrigins)}, expected ${JSON.stringify(expectedOrigins)}`,
          );
        if (global.includes('<!-- storefront-origins -->'))
          problems.push('the origins marker was not replaced');
        if (settings['CORS_ORIGINS'] !== expectedOrigins.join(','))
          problems.push(`CORS_ORIGINS is ${settings['CORS_ORIGINS']}, APIM allows ${expectedOrigins}`);
        const api = ofType('Microsoft.ApiManagement/service/apis');
        if (api.length !== 1) problems.push(`${api.length} APIs, expected one for the whole /api surface`);
        const apiProps = props(api[0]);
        if (apiProps['path'] !== 'api') problems.push(`the API path is ${apiProps['path']}, expected api`);
        if (apiProps['subscriptionRequired'] !== false)
          problems.push('the API must not require subscription keys');
        const site = ofType('Microsoft.Web/sites')[0];
        if (!String(apiProps['serviceUrl']).includes(`/providers/Microsoft.Web/sites/${site?.name}'`))
          problems.push(`the API backend ${apiProps['serviceUrl']} is not the Function App`);
        if (!String(apiProps['serviceUrl']).includes('/api'))
          problems.push('the backend URL must end in /api');
        const apiPolicy = props(ofType('Microsoft.ApiManagement/service/apis/policies')[0]);
        if (apiPolicy['value'] !== readPolicy('api.xml'))
          problems.push('the API policy is not apim-policies/api.xml');
        const fragments = ofType('Microsoft.ApiManagement/service/policyFragments');
        const deployedPolicies = [
          global,
          ...ofType('Microsoft.ApiManagement/service/apis/operations/policies').map((r) =>
            String(props(r)['value']),
          ),
        ];
        for (const m of deployedPolicies.join('\n').matchAll(/fragment-id="([^"]+)"/g))
          if (!fragments.some((f) => leaf(f) === m[1]))
            problems.push(`fragment ${m[1]} is used but not deployed`);
        const sku = String(params['apimSku'] ?? 'Developer');
        const tier = apimTierFeatures[sku];
        if (!tier) problems.push(`APIM tier ${sku} is not described in apimTierFeatures`);
        const deployed = [
          ...fragments.map((f) => [`fragment ${leaf(f)}`, String(props(f)['value'])] as const),
          ...ofType('Microsoft.ApiManagement/service/policies').map(
            (p) => ['global policy', String(props(p)['value'])] as const,
          ),
          ...ofType('Microsoft.ApiManagement/service/apis/policies').map(
            (p) => ['API policy', String(props(p)['value'])] as const,
          ),
          ...ofType('Microsoft.ApiManagement/service/apis/operations/policies').map(
            (p) => [`operation ${p.name.split('/').at(-2)}`, String(props(p)['value'])] as const,
          ),
        ];
        for (const [where, value] of deployed)
          for (const feature of featuresNeeded(withoutComments(value)))
            if (tier && !tier[feature])
              problems.push(`${where} needs ${feature}, which the ${sku} tier lacks`);
        const rateLimited = fragments.filter((f) => /<rate-limit-by-key\b/.test(String(props(f)['value'])));
        if (variant === 'consumption' && rateLimited.length > 0)
          problems.push('rate-limit-by-key is deployed on the Consumption tier, which refuses it');
        if (variant === 'full' && rateLimited.length !== fragments.length)
          problems.push('a rate-limit fragment is a no-op on a tier that supports rate-limit-by-key');
        const named = new Map(
          ofType('Microsoft.ApiManagement/service/namedValues').map((r) => [leaf(r), props(r)['value']]),
        );
        const gatewayKey = ofType('Microsoft.ApiManagement/service/namedValues').find(
          (r) => leaf(r) === 'functions-gateway-key',
        );
        if (props(gatewayKey)['secret'] !== true)
          problems.push('functions-gateway-key must be a secret named value');
        if (!/listKeys\(.*\/host\/default.*\.functionKeys\.default/.test(String(props(gatewayKey)['value'])))
          problems.push(
            'functions-gateway-key must be the Function App host’s default key (listKeys host/default)',
          );
        const ttl = String(Number(params['catalogCacheSeconds'] ?? 0));
        if (named.get('catalog-cache-seconds') !== ttl)
          problems.push(
            `catalog-cache-seconds is ${String(named.get('catalog-cache-seconds'))}, expected ${ttl}`,
          );
        if (settings['CATALOG_CACHE_SECONDS'] !== ttl)
          problems.push(
            `CATALOG_CACHE_SECONDS is ${String(settings['CATALOG_CACHE_SECONDS'])}: the function's Cache-Control must say the gateway's TTL, ${ttl}`,
          );
        if (named.get('storefront-origins') !== expectedOrigins.join(','))
          problems.push(
            `storefront-origins ${named.get('storefront-origins')}, expected ${expectedOrigins.join(',')}`,
          );
        const issuer = settings['JWT_ISSUER'];
        if (named.get('jwt-issuer') !== issuer)
          problems.push(`jwt-issuer ${named.get('jwt-issuer')} != JWT_ISSUER ${issuer}`);
        if (named.get('jwt-audience') !== settings['JWT_AUDIENCE'])
          problems.push('jwt-audience != JWT_AUDIENCE');
        if (named.get('openid-config-url') !== `${issuer}/.well-known/openid-configuration`)
          problems.push(
            `openid-config-url ${named.get('openid-config-url')} is not the issuer's discovery document`,
          );
        if (
          !registry.http.some(
            (f) => f.route === 'auth/.well-known/openid-configuration' && f.access === 'public',
          )
        )
          problems.push('the discovery document route auth/.well-known/openid-configuration is not public');
        return problems;
      },
    },
    {
      name: `snapshot${label}: Function App settings are the config schema's keys (plus the host's), all required ones set`,
      run: () => {
        const problems: string[] = [];
        const settings = appSettings();
        const known = configSettingNames();
        for (const key of Object.keys(settings))
          if (!known.includes(key) && !hostSettingPrefixes.some((p) => key.startsWith(p)))
            problems.push(`app setting ${key} is read by nothing (not in shared/config/config.ts)`);
        for (const key of requiredAppSettings)
          if (!(key in settings)) problems.push(`app setting ${key} is missing`);
        const literal = (key: string, value: string) => {
          if (settings[key] !== value)
            problems.push(`${key} is ${JSON.stringify(settings[key])}, expected ${JSON.stringify(value)}`);
        };
        literal('SQL_DATABASE_PREFIX', '');
        literal('DEMO_DATA', 'false');
        // Stripe may return the shopper only to where the storefront is served from (CORS origins).
        literal('STOREFRONT_ORIGINS', String(settings['CORS_ORIGINS'] ?? ''));
        literal('CHECKOUT_SESSION_MINUTES', variant === 'full' ? '45' : '30');
        literal('AzureWebJobsStorage__credential', 'managedidentity');
        literal(`${serviceBusConnection}__credential`, 'managedidentity');
        const vault = ofType('Microsoft.KeyVault/vaults')[0];
        // Secrets come from @secure() parameters, which `bicep snapshot` leaves unevaluated: the two
        // optional ones must be written only when their parameter is not empty.
        const secrets = ofType('Microsoft.KeyVault/vaults/secrets');
        // The signing key set is read from Key Vault but never written by a deployment (it would
        // replace the key and sign every shopper out): npm run keys makes and rotates it.
        literal(
          'JWT_SIGNING_KEYS',
          `@Microsoft.KeyVault(VaultName=${vault?.name};SecretName=jwt-signing-keys)`,
        );
        for (const name of ['jwt-signing-keys', 'jwt-private-key', 'jwt-key-id'])
          if (secrets.some((s) => leaf(s) === name))
            problems.push(
              `secret ${name} is written by the deployment: a re-provision would replace the signing key`,
            );
        for (const [key, secret, parameter] of [
          ['ADMIN_PASSWORD', 'admin-password', 'adminPassword'],
          ['STRIPE_SECRET_KEY', 'stripe-secret-key', 'stripeSecretKey'],
          ['STRIPE_WEBHOOK_SECRET', 'stripe-webhook-secret', 'stripeWebhookSecret'],
        ] as const) {
          literal(key, `@Microsoft.KeyVault(VaultName=${vault?.name};SecretName=${secret})`);
          const resource = secrets.find((s) => leaf(s) === secret) as
            (SnapshotResource & { condition?: string }) | undefined;
          if (!resource) problems.push(`secret ${secret} is never written`);
          else if (parameter && resource.condition !== `[not(empty(parameters('${parameter}')))]`)
            problems.push(`secret ${secret} must be written only when ${parameter} is given`);
          else if (!parameter && resource.condition !== undefined)
            problems.push(`secret ${secret} must always be written`);
        }
        const serviceBus = ofType('Microsoft.ServiceBus/namespaces')[0];
        literal('SERVICE_BUS_NAMESPACE', `${serviceBus?.name}.servicebus.windows.net`);
        literal(
          `${serviceBusConnection}__fullyQualifiedNamespace`,
          `${serviceBus?.name}.servicebus.windows.net`,
        );
        const apim = ofType('Microsoft.ApiManagement/service')[0];
        literal('PUBLIC_BASE_URL', `https://${apim?.name}.azure-api.net`);
        literal('JWT_ISSUER', `https://${apim?.name}.azure-api.net/api/auth`);
        const media = ofType('Microsoft.Storage/storageAccounts/blobServices/containers').find((c) =>
          c.name.startsWith(
            `${String(settings['BLOB_ACCOUNT_URL'] ?? '').match(/storageAccounts\/([^']+)'/)?.[1]}/`,
          ),
        );
        if (!media || leaf(media) !== settings['BLOB_CONTAINER'])
          problems.push('BLOB_ACCOUNT_URL/BLOB_CONTAINER do not name the media container');
        for (const [key, param] of [
          ['SHOP_URL', 'shopUrl'],
          ['ADMIN_EMAIL', 'adminEmail'],
        ] as const)
          if (params[param] !== undefined) literal(key, params[param] ?? '');
        // The settings as the app would see them (expressions stand in as plausible values) must load.
        const env: Record<string, string> = {};
        for (const [key, value] of Object.entries(settings)) {
          const text = String(value);
          env[key] = isExpression(text)
            ? /URL|ENDPOINT/.test(key)
              ? 'https://resolved-at-deployment.invalid'
              : 'resolved-at-deployment'
            : text.startsWith('@Microsoft.KeyVault(')
              ? (keyVaultSamples[key] ?? 'resolved-from-key-vault')
              : text;
        }
        try {
          const config = loadConfig(env);
          if (!config.usesSqlServer) problems.push('the settings would not select Azure SQL');
          if (config.DEMO_DATA) problems.push('the settings would seed demo data');
        } catch (error) {
          problems.push(`the settings do not load: ${(error as Error).message}`);
        }
        return problems;
      },
    },
    {
      name: `snapshot${label}: operators get a workbook and alerts, and every log line they query exists in the code`,
      run: () => {
        const problems: string[] = [];
        const rules = ofType('Microsoft.Insights/scheduledQueryRules');
        const names = rules.map(leaf).sort();
        const expected = [
          'shop-5xx-rate',
          'shop-outbox-relay-trouble',
          'shop-refund-failing',
          'shop-webhook-failures',
        ];
        if (JSON.stringify(names) !== JSON.stringify(expected))
          problems.push(`log alerts ${names}, expected ${expected}`);
        if (!ofType('Microsoft.Insights/metricAlerts').some((r) => leaf(r) === 'shop-dead-letters'))
          problems.push('no dead-letter alert');
        const workbooks = ofType('Microsoft.Insights/workbooks');
        if (workbooks.length !== 1)
          problems.push(`${workbooks.length} workbooks, expected the operations one`);
        const groups = ofType('Microsoft.Insights/actionGroups');
        if (params['alertEmail'] && groups.length !== 1)
          problems.push('alertEmail is set but no action group e-mails it');
        // The queries name log messages: each must still be a message the code logs.
        const source = sourceFiles(['functions', 'shared'], '.ts')
          .filter((f) => !f.endsWith('.test.ts'))
          .map((f) => fs.readFileSync(f, 'utf8'))
          .join('\n');
        const queries = [
          ...rules.map((r) => JSON.stringify(props(r)['criteria'])),
          ...workbooks.map((w) => String(props(w)['serializedData'])),
        ].join('\n');
        const messages = new Set<string>();
        for (const m of queries.matchAll(/message (?:==|startswith) \\?"([^"\\]+)\\?"/g))
          if (m[1]) messages.add(m[1]);
        for (const m of queries.matchAll(/message in \(([^)]*)\)/g))
          for (const q of (m[1] ?? '').matchAll(/\\?"([^"\\]+)\\?"/g)) if (q[1]) messages.add(q[1]);
        if (messages.size === 0) problems.push('no log message found in the alert and workbook queries');
        for (const message of messages)
          if (!source.includes(`'${message}`))
            problems.push(`the queries look for "${message}", which no code logs`);
        return problems;
      },
    },
    {
      name: `snapshot${label}: Flex Consumption Node 22 app, identity-based, on the user-assigned identity`,
      run: () => {
        const problems: string[] = [];
        const site = ofType('Microsoft.Web/sites')[0];
        const p = props(site);
        const config = p['functionAppConfig'] as
          | {
              runtime?: { name?: string; version?: string };
              deployment?: { storage?: { authentication?: { type?: string } } };
            }
          | undefined;
        if (config?.runtime?.name !== 'node' || config.runtime.version !== '22')
          problems.push(`runtime ${JSON.stringify(config?.runtime)}, expected node 22`);
        if (config?.deployment?.storage?.authentication?.type !== 'UserAssignedIdentity')
          problems.push('the deployment container is not reached with the user-assigned identity');
        const plan = props(ofType('Microsoft.Web/serverfarms')[0]);
        const identityId = ofType('Microsoft.ManagedIdentity/userAssignedIdentities')[0]?.id ?? '';
        if (!site?.identity?.userAssignedIdentities || !(identityId in site.identity.userAssignedIdentities))
          problems.push('the Function App does not run as the user-assigned identity');
        if (p['keyVaultReferenceIdentity'] !== identityId)
          problems.push('Key Vault references do not resolve with the user-assigned identity');
        if (plan['reserved'] !== true) problems.push('the plan is not Linux');
        const sku = ofType('Microsoft.Web/serverfarms')[0] as { sku?: { tier?: string } } | undefined;
        if (sku?.sku?.tier !== 'FlexConsumption') problems.push('the plan is not Flex Consumption');
        const tags = (site as { tags?: Record<string, string> } | undefined)?.tags ?? {};
        if (tags['azd-service-name'] !== 'api')
          problems.push('the Function App lacks the azd-service-name tag "api"');
        return problems;
      },
    },
    {
      name: `snapshot${label}: SQL is Entra-only with one serverless database per domain`,
      run: () => {
        const problems: string[] = [];
        const server = props(ofType('Microsoft.Sql/servers')[0]);
        const admin = server['administrators'] as
          { azureADOnlyAuthentication?: boolean; sid?: string } | undefined;
        if (admin?.azureADOnlyAuthentication !== true) problems.push('SQL authentication is not Entra-only');
        if (params['principalId'] && admin?.sid !== params['principalId'])
          problems.push('the deployer is not the SQL Entra administrator');
        const databases = ofType('Microsoft.Sql/servers/databases');
        const expected = readJson<Databases>(files.databases).databases;
        if (JSON.stringify(databases.map(leaf)) !== JSON.stringify(expected))
          problems.push(`databases ${databases.map(leaf)}, expected ${expected}`);
        for (const d of databases) {
          const sku = (d as { sku?: { name?: string } }).sku;
          if (sku?.name !== 'GP_S_Gen5') problems.push(`${leaf(d)}: SKU ${sku?.name} is not serverless`);
        }
        return problems;
      },
    },
    {
      name: `snapshot${label}: the app identity holds each data-plane role it needs`,
      run: () => {
        const problems: string[] = [];
        const expectedRoles: Record<string, string> = {
          'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
          'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
          '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39': 'Azure Service Bus Data Sender',
          '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0': 'Azure Service Bus Data Receiver',
          '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
          '09976791-48a7-449e-bb21-39d1a415f350': 'Communication and Email Service Owner',
        };
        const identity = ofType('Microsoft.ManagedIdentity/userAssignedIdentities')[0]?.id ?? '~';
        const assignments = ofType('Microsoft.Authorization/roleAssignments').map((r) => props(r));
        for (const [id, roleName] of Object.entries(expectedRoles)) {
          const found = assignments.some(
            (a) =>
              String(a['roleDefinitionId']).endsWith(id) &&
              String(a['principalId']).includes(identity) &&
              a['principalType'] === 'ServicePrincipal',
          );
          if (!found) problems.push(`the identity lacks ${roleName}`);
        }
        return problems;
      },
    },
  ];
  return checks;
}
