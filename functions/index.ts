// Every domain: each index.ts records its functions in the registry. The entries beside this file
// (azure.ts, local.ts and the CLIs) import it, then serve or use what was recorded.
import './ops/index.js';
import './auth/index.js';
import './catalog/index.js';
import './coupons/index.js';
import './cart/index.js';
import './orders/index.js';
import './email/index.js';
import './rewards/index.js';
