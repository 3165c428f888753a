import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { authDeps } from '../auth.deps.js';
import { changePasswordBody } from '../auth.schemas.js';
import { changePassword } from '../passwords.service.js';

export const changeUserPassword = defineHttp({
  name: 'auth-change-password',
  route: 'auth/changepassword',
  methods: ['POST'],
  access: 'user',
  session: 'live',
  bodyKind: 'json',
  body: changePasswordBody,
  summary: 'Change the password; signs out every other session of the account',
  tags: ['auth'],
  async handler({ caller, body, clientIp }) {
    await changePassword(authDeps(), caller, body, clientIp);
    return ok(null, 'Password changed.');
  },
});
