/**
 * What the infrastructure must contain, derived from the code: the function registry
 * (functions/index.ts), the event catalogue and the config schema. The JSON files that Bicep
 * loads (bicep/messaging.json, bicep/apim-operations.json, bicep/databases.json) are generated
 * from here (`consistency.ts --write`) and checked against it (`consistency.ts`, and the test).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../functions/index.js';
import { loadConfig } from '../../shared/config/config.js';
import { catalogue } from '../../shared/events/catalogue.js';
import { parseRoute } from '../../shared/http/routes.js';
import { registry } from '../../shared/functions/registry.js';
import type { Access, AnyHttpFunction, Method } from '../../shared/http/types.js';

export { registry };

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bicepDir = path.join(repoRoot, 'bicep');
export const policiesDir = path.join(repoRoot, 'apim-policies');

/** Which operation policy (apim-policies/operations/<policy>.xml) an operation gets; '' for none. */
export type OperationPolicy = '' | 'protected' | 'strict-rate-limit' | 'webhook' | 'catalog-cache';

export interface ApimOperation {
  name: string;
  method: Method;
  urlTemplate: string;
  displayName: string;
  description: string;
  templateParameters: { name: string; type: 'string' | 'integer' }[];
  policy: OperationPolicy;
}

export interface Messaging {
  topics: string[];
  maxDeliveryCount: number;
  subscriptions: { name: string; topic: string; eventName: string }[];
}

export interface Databases {
  databases: string[];
}

/**
 * Access modes whose operations get validate-jwt at the gateway. Only these: "public" routes must
 * ignore Authorization entirely, "webhook" routes carry no JWT, and "optional" (logout) accepts
 * an expired token whose signature is valid, which APIM's validate-jwt cannot express (it always
 * rejects an expired token), so the function alone checks it there.
 */
export const gatewayValidatedAccess: readonly Access[] = ['user', 'admin'];

/** Public routes that guess or spend secrets: a stricter per-IP limit at the gateway. */
export const strictRateLimitRoutes: readonly string[] = [
  'POST auth/login',
  'POST auth/register',
  'POST auth/forgotpassword',
  'POST auth/resetpassword',
];

/**
 * The catalog's public GETs, which the gateway may cache (operations/catalog-cache.xml, attached
 * when catalogCacheSeconds is above 0 on a tier with the built-in cache).
 */
export const cachedCatalogRoutes: readonly string[] = [
  'GET product',
  'GET product/{id:int}',
  'GET product/brands',
  'GET product/categories',
];

/** The domains of the architecture; each owns one database (ARCHITECTURE.md). */
export const plannedDomains: readonly string[] = [
  'auth',
  'catalog',
  'coupons',
  'cart',
  'orders',
  'rewards',
  'email',
];

export const routeKey = (method: string, route: string) => `${method.toUpperCase()} ${route.toLowerCase()}`;

/** The Topic union of shared/events/define.ts, read from the source (a type has no runtime value). */
export function declaredTopics(): string[] {
  const source = fs.readFileSync(path.join(repoRoot, 'shared/events/define.ts'), 'utf8');
  const match = /export type Topic\s*=\s*([^;]+);/.exec(source);
  if (!match?.[1]) throw new Error('shared/events/define.ts: no `export type Topic = ...;` found');
  return [...match[1].matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
}

export function expectedMessaging(): Messaging {
  return {
    topics: declaredTopics(),
    maxDeliveryCount: loadConfig({}).MAX_DELIVERY_COUNT,
    subscriptions: registry.consumers
      .map((c) => ({ name: c.name, topic: c.event.topic, eventName: c.event.name }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export function policyFor(fn: AnyHttpFunction, method: Method): OperationPolicy {
  if (gatewayValidatedAccess.includes(fn.access)) return 'protected';
  if (fn.access === 'webhook') return 'webhook';
  if (strictRateLimitRoutes.includes(routeKey(method, fn.route))) return 'strict-rate-limit';
  if (fn.access === 'public' && cachedCatalogRoutes.includes(routeKey(method, fn.route)))
    return 'catalog-cache';
  return '';
}

/** The APIM URL template of a Functions route: `product/{id:int}` becomes `/product/{id}`. */
export function urlTemplateOf(route: string): {
  urlTemplate: string;
  parameters: ApimOperation['templateParameters'];
} {
  const raw = route.split('/');
  const parameters: ApimOperation['templateParameters'] = [];
  const parts = parseRoute(route).map((segment, i) => {
    if (segment.kind === 'catchAll')
      throw new Error(`route "${route}": catch-all segments have no APIM operation mapping yet`);
    if (segment.optional)
      throw new Error(`route "${route}": optional segments have no APIM operation mapping yet`);
    if (segment.kind === 'literal') return raw[i] ?? segment.value;
    parameters.push({ name: segment.value, type: segment.constraint === 'int' ? 'integer' : 'string' });
    return `{${segment.value}}`;
  });
  return { urlTemplate: `/${parts.join('/')}`, parameters };
}

/** The APIM operation name of a route's method: the function name, suffixed when it has several methods. */
export const operationName = (fn: AnyHttpFunction, method: Method) =>
  fn.methods.length === 1 ? fn.name : `${fn.name}-${method.toLowerCase()}`;

export function expectedOperations(): ApimOperation[] {
  const operations: ApimOperation[] = [];
  for (const fn of registry.http) {
    const { urlTemplate, parameters } = urlTemplateOf(fn.route);
    for (const method of fn.methods) {
      operations.push({
        name: operationName(fn, method),
        method,
        urlTemplate,
        displayName: `${method} /api/${fn.route}`,
        description: fn.summary,
        templateParameters: parameters,
        policy: policyFor(fn, method),
      });
    }
  }
  return operations.sort((a, b) => a.name.localeCompare(b.name));
}

/** The registry's domains with a database, plus the planned ones already listed (never removed). */
export function expectedDatabases(current?: Databases): Databases {
  const withMigrations = registry.domains.filter((d) => d.migrations.length > 0).map((d) => d.name);
  const listed = current?.databases ?? [...plannedDomains];
  return { databases: [...listed, ...withMigrations.filter((d) => !listed.includes(d))] };
}

export const catalogueTopics = () => [...new Set(catalogue.map((e) => e.topic as string))];

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

export const files = {
  messaging: path.join(bicepDir, 'messaging.json'),
  operations: path.join(bicepDir, 'apim-operations.json'),
  databases: path.join(bicepDir, 'databases.json'),
};

/** What each APIM tier offers of the gateway features our policies use (learn.microsoft.com, "api-management-features"). */
export const apimTierFeatures: Record<
  string,
  { rateLimitByKey: boolean; builtInCache: boolean; staticIp: boolean }
> = {
  Consumption: { rateLimitByKey: false, builtInCache: false, staticIp: false },
  Developer: { rateLimitByKey: true, builtInCache: true, staticIp: true },
  BasicV2: { rateLimitByKey: true, builtInCache: true, staticIp: false },
  StandardV2: { rateLimitByKey: true, builtInCache: true, staticIp: false },
};

/** The tier features a policy text needs. */
export function featuresNeeded(policy: string): ('rateLimitByKey' | 'builtInCache')[] {
  const needs: ('rateLimitByKey' | 'builtInCache')[] = [];
  if (/<rate-limit-by-key\b/.test(policy)) needs.push('rateLimitByKey');
  // caching-type="external" uses a Redis-compatible cache of one's own; anything else is the built-in one.
  if (/<cache-(lookup|store)(-value)?\b(?![^>]*caching-type="external")/.test(policy))
    needs.push('builtInCache');
  return needs;
}

/** Every file below these folders of the repository whose name ends in `suffix`. */
export function sourceFiles(folders: string[], suffix: string): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(full);
      return entry.name.endsWith(suffix) ? [full] : [];
    });
  return folders.flatMap((f) => walk(path.join(repoRoot, f)));
}
