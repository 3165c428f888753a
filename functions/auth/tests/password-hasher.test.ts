import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bcrypt from 'bcrypt';
import { createPasswordHasher, unmatchableHash } from '../passwords.js';

describe('the password hasher', () => {
  it('hashes at the configured cost and verifies only the right password', async () => {
    const hasher = createPasswordHasher(10);
    const stored = await hasher.hash('Correct-horse-1');
    assert.equal(bcrypt.getRounds(stored), 10);
    assert.equal(await hasher.verify('Correct-horse-1', stored), true);
    assert.equal(await hasher.verify('Correct-horse-2', stored), false);
  });

  it('checks an unknown account (no stored hash) against a hash at the same cost, and refuses', async () => {
    const hasher = createPasswordHasher(10);
    assert.equal(await hasher.verify('Correct-horse-1', undefined), false);
    assert.equal(await hasher.verify('', undefined), false);
  });

  it('refuses a password longer than bcrypt reads, even one whose first 72 bytes match', async () => {
    const hasher = createPasswordHasher(10);
    const first72 = 'a'.repeat(72);
    const stored = await hasher.hash(first72);
    assert.equal(await hasher.verify(`${first72}tail`, stored), false);
  });
});

describe('the unmatchable hash of unknown accounts', () => {
  it('is a well-formed bcrypt hash at the asked cost, so comparing runs the full key schedule', () => {
    for (const cost of [10, 12, 14]) {
      const hash = unmatchableHash(cost);
      assert.match(hash, /^\$2b\$\d\d\$[./A-Za-z0-9]{53}$/);
      assert.equal(bcrypt.getRounds(hash), cost);
    }
  });

  it('matches no password, the empty one included, and differs every time', async () => {
    const hash = unmatchableHash(10);
    for (const guess of ['', 'password', 'Correct-horse-1', hash]) {
      assert.equal(await bcrypt.compare(guess, hash), false);
    }
    assert.notEqual(unmatchableHash(10), unmatchableHash(10));
  });
});
