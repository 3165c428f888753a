import type { Platform } from '../../shared/platform/platform.js';
import { demoAccounts } from './demo-accounts.js';
import { authDeps } from './auth.deps.js';
import { ensureAccount } from './accounts.service.js';

/** Every environment: the ADMIN account named by ADMIN_EMAIL / ADMIN_PASSWORD, when set. */
export async function bootstrapAuth(platform: Platform): Promise<void> {
  const { ADMIN_EMAIL, ADMIN_PASSWORD } = platform.config;
  if (!ADMIN_EMAIL || !ADMIN_PASSWORD) return;
  await ensureAccount(authDeps(platform), {
    email: ADMIN_EMAIL.trim().toLowerCase(),
    password: ADMIN_PASSWORD,
    name: 'Administrator',
    roles: ['ADMIN', 'CUSTOMER'],
  });
}

/**
 * Local demo shop only: the documented demo accounts (one ADMIN, the storefront's built-in customer),
 * with their shipped password hashes (no bcrypt at seed time).
 */
export async function seedDemoAccounts(platform: Platform): Promise<void> {
  for (const account of demoAccounts) {
    await ensureAccount(authDeps(platform), {
      email: account.email,
      passwordHash: account.passwordHash,
      name: account.name,
      roles: account.role === 'ADMIN' ? ['ADMIN', 'CUSTOMER'] : ['CUSTOMER'],
    });
  }
}
