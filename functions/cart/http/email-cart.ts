import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { cartDeps } from '../cart.deps.js';
import { emailCartBody } from '../cart.schemas.js';
import { requestCartEmail } from '../cart.service.js';

export const emailCartHttp = defineHttp({
  name: 'cart-email-request',
  route: 'cart/emailcartrequest',
  methods: ['POST'],
  access: 'user',
  bodyKind: 'json',
  body: emailCartBody,
  response: z.null(),
  summary: 'Email the cart to its owner (at most once a minute)',
  tags: ['cart'],
  async handler({ caller, body, baseUrl }) {
    return ok(null, await requestCartEmail(cartDeps(), caller, body.cartHeader ?? {}, baseUrl));
  },
});
