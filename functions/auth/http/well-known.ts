import { defineHttp } from '../../../shared/http/define.js';
import { rawResponse } from '../../../shared/http/types.js';
import { authDeps } from '../auth.deps.js';

const json = (value: unknown) =>
  rawResponse(JSON.stringify(value), 'application/json; charset=utf-8', 200, {
    'cache-control': 'public, max-age=300',
  });

export const jwks = defineHttp({
  name: 'auth-jwks',
  route: 'auth/.well-known/jwks.json',
  methods: ['GET'],
  access: 'public',
  bodyKind: 'none',
  summary: 'The public keys that verify access tokens (JWKS, not enveloped)',
  tags: ['auth'],
  async handler() {
    return json(authDeps().tokens.jwks());
  },
});

export const openIdConfiguration = defineHttp({
  name: 'auth-openid-configuration',
  route: 'auth/.well-known/openid-configuration',
  methods: ['GET'],
  access: 'public',
  bodyKind: 'none',
  summary: "OpenID discovery document (APIM's validate-jwt reads it)",
  tags: ['auth'],
  async handler({ baseUrl }) {
    const { tokens } = authDeps();
    const algs = [...new Set(tokens.jwks().keys.map((k) => String(k['alg'])))];
    return json({
      issuer: tokens.issuer,
      jwks_uri: `${baseUrl}/api/auth/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: algs,
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      claims_supported: ['sub', 'sid', 'email', 'roles', 'iss', 'aud', 'exp', 'iat'],
    });
  },
});
