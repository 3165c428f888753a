import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStripeForm } from './stripe-form.js';

describe('parseStripeForm', () => {
  it('rebuilds nested objects and arrays from bracket keys', () => {
    const body =
      'mode=payment&line_items[0][quantity]=2&line_items[0][price_data][product_data][images][0]=https%3A%2F%2Fa.test%2Fx.png' +
      '&line_items[1][quantity]=1&metadata[orderId]=42&success_url=http%3A%2F%2Flocalhost%3A3000%2F%3Fa%3D1%26b%3D2';
    assert.deepEqual(parseStripeForm(body), {
      mode: 'payment',
      line_items: [
        { quantity: '2', price_data: { product_data: { images: ['https://a.test/x.png'] } } },
        { quantity: '1' },
      ],
      metadata: { orderId: '42' },
      success_url: 'http://localhost:3000/?a=1&b=2',
    });
  });

  it('reads percent-encoded brackets like plain ones', () => {
    assert.deepEqual(parseStripeForm('metadata%5BorderId%5D=7'), { metadata: { orderId: '7' } });
  });

  it('keeps a key named __proto__ as a field, never as the prototype', () => {
    const parsed = parseStripeForm('metadata[__proto__][polluted]=yes');
    assert.equal(Object.getPrototypeOf(parsed['metadata']), Object.prototype);
    assert.deepEqual(Object.keys(parsed['metadata'] ?? {}), ['__proto__']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('refuses keys that nest under a plain value', () => {
    assert.throws(() => parseStripeForm('a=1&a[b]=2'), /nests under a plain value/);
  });
});
