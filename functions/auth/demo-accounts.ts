/**
 * The accounts the local demo shop creates (DEMO_DATA). The storefront's login form is locked to
 * its built-in demo account, so that one must exist locally, as a customer. Never deployed.
 *
 * The passwords are public, so their bcrypt hashes (cost 12, the default BCRYPT_COST) ship as
 * constants: hashing them at seed time was about half of a first start. A test checks that each
 * hash still verifies against its password (functions/auth/tests/demo-accounts.test.ts).
 */
export const demoAccounts = [
  {
    role: 'ADMIN',
    email: 'admin@demo.shop',
    password: 'Admin@12345',
    passwordHash: '$2b$12$MaTfikcH2wJ6sBEHEArb..95fQi1Ziy5dllCzjTc4tmLPO6hIWO3q',
    name: 'Demo Admin',
  },
  {
    role: 'CUSTOMER',
    email: 'anhdongoc18@gmail.com',
    password: 'Admin@123',
    passwordHash: '$2b$12$yYs8mv4GFk89fD6c9j./I.0dszs/9Esqt9VQGa4m3fnj55zwhEfhW',
    name: 'Anh Do Ngoc',
  },
  {
    role: 'CUSTOMER',
    email: 'customer@demo.shop',
    password: 'Customer@123',
    passwordHash: '$2b$12$JBqsYoT9wTNgHESUKl35LuG31AdScZ49F87/11UkQvWMuIKBkz0JC',
    name: 'Casey Customer',
  },
] as const;
