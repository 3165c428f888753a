import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { authDeps } from '../auth.deps.js';
import { logout } from '../sessions.service.js';

export const logoutUser = defineHttp({
  name: 'auth-logout',
  route: 'auth/logout',
  methods: ['POST'],
  access: 'optional',
  bodyKind: 'none',
  summary: "Sign out: ends this token's session only (an expired token is fine; an invalid one ends nothing)",
  tags: ['auth'],
  async handler({ caller }) {
    await logout(authDeps(), caller);
    return ok(null, 'Signed out.');
  },
});
