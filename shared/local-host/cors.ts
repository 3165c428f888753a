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

/**
 * Logs each refused origin once, at warning level, with the setting that allows it: a browser only
 * says "CORS error", and the preflight's answer (a 204 without CORS headers) says nothing either.
 */
export function corsRefusalLog(
  configured: string[],
  warn: (message: string, fields: Record<string, unknown>) => void,
): (origin: string | undefined) => void {
  const seen = new Set<string>();
  return (origin) => {
    if (!origin || isAllowed(origin, configured) || seen.has(origin) || seen.size >= 100) return;
    seen.add(origin);
    const setting = [...configured, origin].join(',');
    warn(
      `CORS: refused requests from the origin ${origin}; to allow it, start with CORS_ORIGINS=${setting}`,
      {
        origin,
        setting: 'CORS_ORIGINS',
        allowedNow: configured.length > 0 ? configured : 'any localhost / 127.0.0.1 origin',
      },
    );
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
