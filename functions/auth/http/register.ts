import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { authDeps } from '../auth.deps.js';
import { registerBody } from '../auth.schemas.js';
import { register } from '../accounts.service.js';

export const registerUser = defineHttp({
  name: 'auth-register',
  route: 'auth/register',
  methods: ['POST'],
  access: 'public',
  bodyKind: 'json',
  body: registerBody,
  summary: 'Create a customer account (400 with type "email" or "password" on a bad field)',
  tags: ['auth'],
  async handler({ body }) {
    await register(authDeps(), body);
    return ok(null, 'Registration successful. You can sign in now.');
  },
});
