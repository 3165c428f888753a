/**
 * CORS for the local host. Configured origins (CORS_ORIGINS) are allowed; `*` allows any. With none
 * configured, any origin on this machine (localhost / 127.0.0.1, any port) is allowed, so a
 * storefront dev server works out of the box. In Azure, APIM applies CORS (apim-policies/).
 */
export function corsHeaders(origin: string | undefined, configured: string[]): Record<string, string> {
  if (!origin || !isAllowed(origin, configured)) return {};
  return {
    'access-control-allow-origin': configured.includes('*') ? '*' : origin,
    'access-control-expose-headers': 'x-correlation-id',
    vary: 'Origin',
  };
}

export function preflightHeaders(origin: string | undefined, configured: string[]): Record<string, string> {
  const base = corsHeaders(origin, configured);
  if (Object.keys(base).length === 0) return {};
  return {
    ...base,
    'access-control-allow-methods': 'GET, POST, PUT, DELETE, PATCH, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type, x-correlation-id',
    'access-control-max-age': '600',
  };
}

function isAllowed(origin: string, configured: string[]): boolean {
  if (configured.includes('*') || configured.includes(origin)) return true;
  if (configured.length > 0) return false;
  try {
    const { hostname } = new URL(origin);
    return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
  } catch {
    return false;
  }
}
