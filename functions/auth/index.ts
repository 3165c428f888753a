import { register } from '../../shared/functions/registry.js';
import { isSessionLive } from './auth.client.js';
import { bootstrapAuth, seedDemoAccounts } from './auth.seed.js';
import { assignUserRole } from './http/assign-role.js';
import { changeUserPassword } from './http/change-password.js';
import { editUserProfile } from './http/edit-user.js';
import { forgotUserPassword } from './http/forgot-password.js';
import { getUserById } from './http/get-user.js';
import { loginUser } from './http/login.js';
import { logoutUser } from './http/logout.js';
import { refreshToken } from './http/refresh.js';
import { registerUser } from './http/register.js';
import { resetUserPassword } from './http/reset-password.js';
import { jwks, openIdConfiguration } from './http/well-known.js';
import { authMigrations } from './migrations/2026_11_25_0900_create_auth.js';
import { loginLimits } from './migrations/2026_12_05_0900_login_limits.js';

register.domain({
  name: 'auth',
  migrations: [...authMigrations, loginLimits],
  bootstrap: bootstrapAuth,
  demo: seedDemoAccounts,
});
register.sessionCheck(isSessionLive);
register.http(
  registerUser,
  loginUser,
  refreshToken,
  logoutUser,
  getUserById,
  editUserProfile,
  changeUserPassword,
  assignUserRole,
  forgotUserPassword,
  resetUserPassword,
  jwks,
  openIdConfiguration,
);
