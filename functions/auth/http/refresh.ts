import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { authDeps } from '../auth.deps.js';
import { refreshBody, refreshResult } from '../auth.schemas.js';
import { refresh } from '../sessions.service.js';

export const refreshToken = defineHttp({
  name: 'auth-refresh',
  route: 'auth/refresh',
  methods: ['POST'],
  access: 'public',
  bodyKind: 'json',
  body: refreshBody,
  response: refreshResult,
  summary:
    'A new access token for the session; the same refresh token comes back (401 once signed out or expired)',
  tags: ['auth'],
  async handler({ body }) {
    return ok(await refresh(authDeps(), body));
  },
});
