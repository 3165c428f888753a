/**
 * The accounts the local demo shop creates (DEMO_DATA). The storefront's login form is locked to
 * its built-in demo account, so that one must exist locally, as a customer. Never deployed.
 */
export const demoAccounts = [
  { role: 'ADMIN', email: 'admin@demo.shop', password: 'Admin@12345', name: 'Demo Admin' },
  { role: 'CUSTOMER', email: 'anhdongoc18@gmail.com', password: 'Admin@123', name: 'Anh Do Ngoc' },
  { role: 'CUSTOMER', email: 'customer@demo.shop', password: 'Customer@123', name: 'Casey Customer' },
] as const;
