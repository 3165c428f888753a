import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { AppError } from '../http/errors.js';
import type { Caller } from '../http/types.js';
import type { Clock } from '../time/clock.js';
import { keysAt, type SigningKey } from './keys.js';

export const ADMIN_ROLE = 'ADMIN';
export const CUSTOMER_ROLE = 'CUSTOMER';

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  email: string;
  roles: string[];
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  sid: z.string().min(1),
  email: z.string(),
  roles: z.array(z.string()),
});

export interface TokenService {
  readonly issuer: string;
  readonly audience: string;
  sign(claims: AccessTokenClaims): string;
  /** Verifies signature (algorithm pinned), kid, issuer, audience and expiry; throws 401 (token_expired / token_invalid). */
  verify(token: string, options?: { allowExpired?: boolean }): Caller;
  /** The keys published now: the signing key, the next one before it signs, the previous one for a while. */
  jwks(): { keys: Record<string, unknown>[] };
}

export function createTokenService(options: {
  /** One key, or a key set that rotates (keysAt decides which signs and which are published). */
  key?: SigningKey;
  keys?: readonly SigningKey[];
  /** How long a replaced key stays published: the refresh-token lifetime (REFRESH_TOKEN_DAYS). */
  retireAfterMs?: number;
  issuer: string;
  audience: string;
  accessTokenMinutes: number;
  clock: Clock;
}): TokenService {
  const { issuer, audience, clock } = options;
  const keys = options.keys ?? (options.key ? [options.key] : []);
  if (keys.length === 0) throw new Error('the token service needs a signing key');
  const at = () => keysAt(keys, clock.now(), options.retireAfterMs ?? 0);
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  const invalid = () => new AppError('token_invalid', 'Your session is not valid. Please sign in again.');
  return {
    issuer,
    audience,
    sign(claims) {
      const key = at().signing;
      const iat = nowSeconds();
      return jwt.sign({ ...claims, iat, exp: iat + options.accessTokenMinutes * 60 }, key.privateKey, {
        algorithm: key.alg,
        keyid: key.kid,
        issuer,
        audience,
      });
    },
    verify(token, { allowExpired = false } = {}) {
      const decoded = decodeQuietly(token);
      if (!decoded || typeof decoded.payload === 'string') throw invalid();
      // Only a key published now verifies: a retired one's tokens are no longer ours.
      const key = at().published.find((k) => k.kid === decoded.header.kid);
      if (!key) throw invalid();
      let payload: unknown;
      try {
        payload = jwt.verify(token, key.publicKey, {
          algorithms: [key.alg],
          issuer,
          audience,
          ignoreExpiration: allowExpired,
          clockTimestamp: nowSeconds(),
          clockTolerance: 30,
        });
      } catch (error) {
        if (error instanceof jwt.TokenExpiredError) {
          throw new AppError('token_expired', 'Your session has expired. Please sign in again.');
        }
        throw invalid();
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw invalid();
      const { sub, sid, email, roles } = claims.data;
      return { userId: sub, sessionId: sid, email, roles, isAdmin: roles.includes(ADMIN_ROLE) };
    },
    jwks() {
      return {
        keys: at().published.map((key) => ({
          ...key.publicKey.export({ format: 'jwk' }),
          kid: key.kid,
          alg: key.alg,
          use: 'sig',
        })),
      };
    },
  };
}

/**
 * The token's header and payload, unverified; null when it is not a JWT. jws parses the payload of a
 * `"typ": "JWT"` token with a bare JSON.parse, so a payload that is not JSON throws: that is a bad
 * token (a 401), never a 500.
 */
function decodeQuietly(token: string): jwt.Jwt | null {
  try {
    return jwt.decode(token, { complete: true });
  } catch {
    return null;
  }
}
