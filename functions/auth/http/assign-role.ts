import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { authDeps } from '../auth.deps.js';
import { assignRoleBody } from '../auth.schemas.js';
import { assignRole } from '../accounts.service.js';

export const assignUserRole = defineHttp({
  name: 'auth-assign-role',
  route: 'auth/assignrole',
  methods: ['POST'],
  access: 'admin',
  session: 'live',
  bodyKind: 'json',
  body: assignRoleBody,
  summary: 'Give an account a role (ADMIN only); takes effect at its next sign-in or token refresh',
  tags: ['auth'],
  async handler({ body }) {
    await assignRole(authDeps(), body);
    return ok(null, `Role ${body.role} assigned.`);
  },
});
