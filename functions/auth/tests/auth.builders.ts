import { randomUUID } from 'node:crypto';
import type { TestHost } from '../../../shared/testing/test-host.js';

export interface TestAccount {
  id: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

let counter = 0;

/** A registration body with valid defaults; override what the test is about. */
export function aRegistration(
  overrides: Partial<{
    email: string;
    password: string;
    name: string;
    phoneNumber: string;
    address: string;
  }> = {},
) {
  counter += 1;
  return {
    email: `shopper${counter}-${randomUUID().slice(0, 8)}@example.com`,
    password: 'Secret#123',
    name: `Shopper ${counter}`,
    ...overrides,
  };
}

/** Registers and signs in a customer; returns its tokens. */
export async function aSignedInCustomer(
  host: TestHost,
  overrides: Parameters<typeof aRegistration>[0] = {},
): Promise<TestAccount> {
  const registration = aRegistration(overrides);
  const registered = await host.call('POST', '/api/auth/register', { json: registration });
  if (registered.status !== 200) throw new Error(`register failed: ${registered.text}`);
  return signIn(host, registration.email, registration.password);
}

export async function signIn(host: TestHost, email: string, password: string): Promise<TestAccount> {
  const res = await host.call('POST', '/api/auth/login', { json: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.text}`);
  const data = res.body.data as { token: string; refreshToken: string; user: { id: string } };
  return { id: data.user.id, email, password, token: data.token, refreshToken: data.refreshToken };
}

/** The ADMIN bootstrapped from settings (see adminEnv). */
export const adminEnv = { ADMIN_EMAIL: 'root@shop.test', ADMIN_PASSWORD: 'Root#Pass123' };

export const signInAdmin = (host: TestHost) => signIn(host, adminEnv.ADMIN_EMAIL, adminEnv.ADMIN_PASSWORD);
