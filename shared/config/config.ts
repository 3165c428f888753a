import path from 'node:path';
import { z } from 'zod';
import { isLibraryText, problemOf } from '../zod-issues.js';

/**
 * Every setting the backend reads, parsed once. A bad or missing setting fails start-up with a
 * message that names each one. Azure settings are optional: when one is absent the embedded
 * default for that port is used, so a fresh laptop needs nothing but Node.
 */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (!/^-?\d+$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number, got "${v}"` });
        return z.NEVER;
      }
      return Number(v);
    })
    .pipe(z.number().int().min(min).max(max));

const flag = <F extends boolean | undefined>(fallback: F) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      ctx.addIssue({ code: 'custom', message: `must be true or false, got "${v}"` });
      return z.NEVER;
    });

const url = optionalText.pipe(z.url({ message: 'must be an absolute URL' }).optional());

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );

/** Origins (scheme, host, port), e.g. `https://shop.example.com`; a trailing slash is dropped. */
const originList = list.transform((values, ctx) =>
  values.map((value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    const plain =
      url && ['http:', 'https:'].includes(url.protocol) && url.pathname === '/' && !url.search && !url.hash;
    if (!url || !plain || url.username || url.password || value.endsWith('//')) {
      ctx.addIssue({
        code: 'custom',
        message: `must be origins like https://shop.example.com (scheme, host and port only), got "${value}"`,
      });
      return value;
    }
    return url.origin;
  }),
);

const settingsSchema = z.object({
  PORT: integer(7071, 0, 65535),
  HOST: optionalText.default('127.0.0.1'),
  DATA_DIR: optionalText.default('./.data'),
  PUBLIC_BASE_URL: url,
  CORS_ORIGINS: list,
  MAX_BODY_BYTES: integer(12 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  MAX_UPLOAD_BYTES: integer(5 * 1024 * 1024, 1024, 50 * 1024 * 1024),
  MAX_JSON_BODY_BYTES: integer(64 * 1024, 1024, 100 * 1024 * 1024),
  SHOP_NAME: optionalText.default('Demo Shop'),
  SHOP_URL: optionalText.default('http://localhost:5173').pipe(z.url({ message: 'must be an absolute URL' })),
  SHOP_CURRENCY: optionalText.default('AUD').pipe(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')),
  DEMO_DATA: flag(undefined),
  LOG_LEVEL: optionalText.default('info').pipe(z.enum(['debug', 'info', 'warn', 'error'])),
  CATALOG_CACHE: optionalText.default('on').pipe(z.enum(['on', 'off'], { message: 'must be on or off' })),
  CATALOG_CACHE_MAX_MB: integer(32, 1, 1024),
  CATALOG_CACHE_SECONDS: integer(0, 0, 3600),
  VIEW_FLUSH_SECONDS: integer(5, 1, 300),

  JWT_ISSUER: url,
  JWT_AUDIENCE: optionalText.default('ecommerce-functions'),
  JWT_PRIVATE_KEY: optionalText,
  JWT_KEY_ID: optionalText,
  JWT_SIGNING_KEYS: optionalText,
  JWT_KEY_LEAD_MINUTES: integer(120, 60, 7 * 24 * 60),
  ACCESS_TOKEN_MINUTES: integer(10, 1, 24 * 60),
  REFRESH_TOKEN_DAYS: integer(14, 1, 90),
  BCRYPT_COST: integer(12, 10, 15),
  LOGIN_MAX_FAILURES: integer(10, 1, 1000),
  LOGIN_WINDOW_MINUTES: integer(15, 1, 24 * 60),
  LOGIN_DELAY_MAX_SECONDS: integer(300, 1, 3600),
  RESET_TOKEN_MINUTES: integer(30, 5, 24 * 60),
  ADMIN_EMAIL: optionalText.pipe(z.email({ message: 'must be an email address' }).optional()),
  ADMIN_PASSWORD: optionalText,

  SQL_SERVER: optionalText,
  SQL_PORT: integer(1433, 1, 65535),
  SQL_DATABASE_PREFIX: optionalText.default(''),
  SQL_USER: optionalText,
  SQL_PASSWORD: optionalText,
  SQL_TRUST_SERVER_CERTIFICATE: flag(false),
  AZURE_CLIENT_ID: optionalText,

  SERVICE_BUS_NAMESPACE: optionalText,
  MAX_DELIVERY_COUNT: integer(10, 1, 100),
  OUTBOX_SWEEP_SCHEDULE: optionalText
    .default('0 0 */6 * * *')
    .pipe(
      z
        .string()
        .regex(
          /^\S+( \S+){5}$/,
          'must be an NCRONTAB schedule with six fields (seconds first), like 0 0 */6 * * *',
        ),
    ),

  BLOB_ACCOUNT_URL: url,
  BLOB_CONNECTION_STRING: optionalText,
  BLOB_CONTAINER: optionalText.default('media'),

  STRIPE_SECRET_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^(sk|rk)_[A-Za-z0-9_]+$/, 'must be a Stripe secret or restricted key (sk_… or rk_…)')
      .optional(),
  ),
  STRIPE_WEBHOOK_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^whsec_\S+$/, 'must be a webhook signing secret (whsec_…)')
      .optional(),
  ),
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: integer(300, 1, 3600),
  STRIPE_API_URL: url,
  CHECKOUT_SESSION_MINUTES: integer(30, 30, 24 * 60),
  STOREFRONT_ORIGINS: originList,

  REWARD_POINTS_PER_UNIT: integer(1, 0, 1000),
  REWARD_POINT_VALUE_MINOR: integer(1, 1, 10_000),
  REWARD_COUPON_DAYS: integer(90, 1, 3650),

  ACS_ENDPOINT: url,
  ACS_CONNECTION_STRING: optionalText.pipe(
    z
      .string()
      .regex(
        /^endpoint=https?:\/\/[^;\s]+;accesskey=[^;\s]+$/i,
        'must be an ACS connection string (endpoint=https://…;accesskey=…)',
      )
      .optional(),
  ),
  EMAIL_SENDER: optionalText.default('DoNotReply@shop.local'),
  /** The shop's own address (the new-order notice); unset: ADMIN_EMAIL, then a local one with the mailbox. */
  SHOP_EMAIL: optionalText.pipe(z.email({ message: 'must be an email address' }).optional()),

  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText,
});

export type Settings = z.infer<typeof settingsSchema>;

/** Every setting's name, in the schema's order (`.env.example` and `local.settings.example.json` list them). */
export const settingNames = Object.keys(settingsSchema.shape) as (keyof Settings)[];

/** What each setting is when it is not set: the schema parsed from an empty environment. */
export const settingDefaults = (): Settings => settingsSchema.parse({});

export interface Config extends Omit<Settings, 'DEMO_DATA'> {
  /** Seed the demo shop (default: on locally, off when SQL_SERVER is set). */
  DEMO_DATA: boolean;
  /** Absolute path of DATA_DIR. */
  dataDir: string;
  /** True when the MSSQL settings are present: databases are Azure SQL / SQL Server. */
  usesSqlServer: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = settingsSchema.safeParse(env);
  const unresolved = unresolvedKeyVaultReferences(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues
        // An unresolved reference is reported as that, not as the malformed value it looks like.
        .filter((i) => !unresolved.some((u) => u.startsWith(`${String(i.path[0])}:`)))
        .map(
          (i) =>
            `${i.path.join('.') || '(settings)'}: ${isLibraryText(i.message) ? problemOf(i) : i.message}`,
        );
  problems.push(...companionProblems(env), ...unresolved);
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const s = parsed.data;
  const usesSqlServer = s.SQL_SERVER !== undefined;
  return { ...s, DEMO_DATA: s.DEMO_DATA ?? !usesSqlServer, dataDir: path.resolve(s.DATA_DIR), usesSqlServer };
}

/**
 * Settings that only make sense together. Checked on the raw values (presence only), so they are
 * reported together with any malformed value instead of after it is fixed.
 */
function companionProblems(env: NodeJS.ProcessEnv): string[] {
  const isSet = (name: keyof Settings) => (env[name] ?? '').trim() !== '';
  const problems: string[] = [];
  if (isSet('SQL_USER') && !isSet('SQL_PASSWORD'))
    problems.push('SQL_PASSWORD: required when SQL_USER is set');
  if ((isSet('SQL_USER') || isSet('SQL_PASSWORD')) && !isSet('SQL_SERVER'))
    problems.push('SQL_SERVER: required when SQL_USER is set');
  if (isSet('ADMIN_EMAIL') && !isSet('ADMIN_PASSWORD'))
    problems.push('ADMIN_PASSWORD: required when ADMIN_EMAIL is set');
  if (isSet('JWT_PRIVATE_KEY') && !isSet('JWT_KEY_ID'))
    problems.push('JWT_KEY_ID: required when JWT_PRIVATE_KEY is set');
  if (isSet('JWT_PRIVATE_KEY') && isSet('JWT_SIGNING_KEYS'))
    problems.push(
      'JWT_SIGNING_KEYS: set either JWT_SIGNING_KEYS (a key set that rotates) or JWT_PRIVATE_KEY (one key), not both',
    );
  if (isSet('STRIPE_SECRET_KEY') && !isSet('STRIPE_WEBHOOK_SECRET'))
    problems.push(
      "STRIPE_WEBHOOK_SECRET: required when STRIPE_SECRET_KEY is set (the webhook endpoint's signing secret)",
    );
  if (isSet('STRIPE_API_URL') && !isSet('STRIPE_SECRET_KEY'))
    problems.push('STRIPE_SECRET_KEY: required when STRIPE_API_URL is set');
  if (isSet('BLOB_ACCOUNT_URL') && isSet('BLOB_CONNECTION_STRING'))
    problems.push('BLOB_ACCOUNT_URL: set either BLOB_ACCOUNT_URL or BLOB_CONNECTION_STRING, not both');
  if (isSet('ACS_ENDPOINT') && isSet('ACS_CONNECTION_STRING'))
    problems.push(
      'ACS_ENDPOINT: set either ACS_ENDPOINT (managed identity) or ACS_CONNECTION_STRING (access key), not both',
    );
  return problems;
}

/**
 * In Azure a secret arrives as a Key Vault reference that the platform resolves; one it cannot
 * resolve (the secret was never stored, or the identity cannot read it) stays the literal
 * `@Microsoft.KeyVault(...)` text. Say so, rather than "not a valid key".
 */
function unresolvedKeyVaultReferences(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(settingsSchema.shape)
    .filter((name) => (env[name] ?? '').trim().startsWith('@Microsoft.KeyVault('))
    .map(
      (name) =>
        `${name}: its Key Vault reference was not resolved; store the secret it names (${env[name]?.trim()}) and let the app's identity read it (bicep/README.md)`,
    );
}
