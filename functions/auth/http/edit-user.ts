import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { authDeps } from '../auth.deps.js';
import { editUserForm, userSchema } from '../auth.schemas.js';
import { editUser } from '../accounts.service.js';

export const editUserProfile = defineHttp({
  name: 'auth-edit-user',
  route: 'auth/edituser',
  methods: ['POST'],
  access: 'user',
  // Personal data (name, phone, address, avatar): a signed-out token must not rewrite it.
  session: 'live',
  bodyKind: 'multipart',
  body: editUserForm,
  files: { avatar: { maxCount: 1 } },
  response: userSchema,
  summary: 'Update the profile (multipart form; optional avatar image: JPEG, PNG, WebP or GIF)',
  tags: ['auth'],
  async handler({ caller, body, files, baseUrl }) {
    const avatar = files.find((f) => f.field === 'avatar');
    return ok(await editUser(authDeps(), caller, { ...body, avatar }, baseUrl), 'Profile saved.');
  },
});
