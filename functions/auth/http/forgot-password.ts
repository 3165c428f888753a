import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { authDeps } from '../auth.deps.js';
import { forgotPasswordBody } from '../auth.schemas.js';
import { forgotPassword } from '../passwords.service.js';

export const forgotUserPassword = defineHttp({
  name: 'auth-forgot-password',
  route: 'auth/forgotpassword',
  methods: ['POST'],
  access: 'public',
  bodyKind: 'json',
  body: forgotPasswordBody,
  summary: 'Email a single-use reset link; the same answer whether or not the account exists',
  tags: ['auth'],
  async handler({ body }) {
    await forgotPassword(authDeps(), body);
    return ok(null, 'If an account exists for that email, a reset link is on its way.');
  },
});
