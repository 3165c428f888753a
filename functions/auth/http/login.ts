import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { authDeps } from '../auth.deps.js';
import { loginBody, loginResult } from '../auth.schemas.js';
import { login } from '../sessions.service.js';

export const loginUser = defineHttp({
  name: 'auth-login',
  route: 'auth/login',
  methods: ['POST'],
  access: 'public',
  bodyKind: 'json',
  body: loginBody,
  response: loginResult,
  summary:
    'Sign in: an access token, the session refresh token and the user (throttled after repeated failures)',
  tags: ['auth'],
  async handler({ body, clientIp, baseUrl }) {
    return ok(await login(authDeps(), { ...body, clientIp, baseUrl }), 'Signed in.');
  },
});
