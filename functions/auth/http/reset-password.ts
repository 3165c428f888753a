import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { authDeps } from '../auth.deps.js';
import { resetPasswordBody } from '../auth.schemas.js';
import { resetPassword } from '../passwords.service.js';

export const resetUserPassword = defineHttp({
  name: 'auth-reset-password',
  route: 'auth/resetpassword',
  methods: ['POST'],
  access: 'public',
  bodyKind: 'json',
  body: resetPasswordBody,
  summary: 'Set a new password with a reset token; signs out every session of the account',
  tags: ['auth'],
  async handler({ body }) {
    await resetPassword(authDeps(), body);
    return ok(null, 'Your password has been reset. You can sign in now.');
  },
});
