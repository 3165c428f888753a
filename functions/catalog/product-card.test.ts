import assert from 'node:assert/strict';
import { it } from 'node:test';
import { IMAGE_URL_MARK, withImageUrls } from './product-card.js';

it('withImageUrls puts the prefix, escaped for JSON and taken literally, where a card marks an image URL', () => {
  const marked = `[{"url":"${IMAGE_URL_MARK}products/a.png"},{"url":"${IMAGE_URL_MARK}products/b.png"}]`;
  assert.deepEqual(JSON.parse(withImageUrls(marked, 'https://cdn.example/m/')), [
    { url: 'https://cdn.example/m/products/a.png' },
    { url: 'https://cdn.example/m/products/b.png' },
  ]);
  // `$&` and `$'` would be replacement patterns for a string; a quote must stay inside the string.
  const odd = `http://h/$&$'"\\/`;
  assert.deepEqual(JSON.parse(withImageUrls(marked, odd)), [
    { url: `${odd}products/a.png` },
    { url: `${odd}products/b.png` },
  ]);
});
