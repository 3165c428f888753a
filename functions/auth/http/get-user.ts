import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { authDeps } from '../auth.deps.js';
import { userIdParams, userSchema } from '../auth.schemas.js';
import { getUser } from '../accounts.service.js';

export const getUserById = defineHttp({
  name: 'auth-get-user',
  route: 'auth/getuser/{userId}',
  methods: ['GET'],
  access: 'user',
  bodyKind: 'none',
  params: userIdParams,
  response: userSchema,
  summary: 'A user profile: your own, or anyone’s for an ADMIN',
  tags: ['auth'],
  async handler({ caller, params, baseUrl }) {
    return ok(await getUser(authDeps(), caller, params.userId, baseUrl));
  },
});
