// Every domain, for the local host and scripts. (The Azure host loads each functions/*/index.js itself.)
import './ops/index.js';
import './auth/index.js';
import './catalog/index.js';
import './coupons/index.js';
import './cart/index.js';
import './orders/index.js';
import './email/index.js';
import './rewards/index.js';
