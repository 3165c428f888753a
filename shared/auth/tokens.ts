import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { AppError } from '../http/errors.js';
import type { Caller } from '../http/types.js';
import type { Clock } from '../time/clock.js';
import type { SigningKey } from './keys.js';

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
  jwks(): { keys: Record<string, unknown>[] };
}

export function createTokenService(options: {
  key: SigningKey;
  issuer: string;
  audience: string;
  accessTokenMinutes: number;
  clock: Clock;
}): TokenService {
  const { key, issuer, audience, clock } = options;
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  const invalid = () => new AppError('token_invalid', 'Your session is not valid. Please sign in again.');
  return {
    issuer,
    audience,
    sign(claims) {
      const iat = nowSeconds();
      return jwt.sign({ ...claims, iat, exp: iat + options.accessTokenMinutes * 60 }, key.privateKey, {
        algorithm: key.alg,
        keyid: key.kid,
        issuer,
        audience,
      });
    },
    verify(token, { allowExpired = false } = {}) {
      const decoded = jwt.decode(token, { complete: true });
      if (!decoded || typeof decoded.payload === 'string' || decoded.header.kid !== key.kid) throw invalid();
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
      const jwk = key.publicKey.export({ format: 'jwk' });
      return { keys: [{ ...jwk, kid: key.kid, alg: key.alg, use: 'sig' }] };
    },
  };
}
