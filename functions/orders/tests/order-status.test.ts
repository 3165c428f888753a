import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, orderStatuses, parseStatus, type Actor, type OrderStatus } from '../order-status.js';

/** Every (from, to, actor) and what the state machine answers, as a table a reader can check. */
const allowed: [OrderStatus, OrderStatus, Actor[]][] = [
  ['Pending', 'Approved', ['payment', 'admin']],
  ['Pending', 'Cancelled', ['customer', 'admin', 'payment']],
  ['Approved', 'ReadyForPickup', ['admin']],
  ['ReadyForPickup', 'Completed', ['admin']],
  ['Approved', 'Cancelled', ['customer', 'admin']],
  ['Cancelled', 'Refunded', ['refund']],
];
const actors: Actor[] = ['customer', 'admin', 'payment', 'refund'];

describe('the order state machine', () => {
  for (const from of orderStatuses) {
    for (const to of orderStatuses) {
      const row = allowed.find(([f, t]) => f === from && t === to);
      for (const actor of actors) {
        const expected =
          from === to ? 'unchanged' : !row ? 'invalid' : row[2].includes(actor) ? 'allowed' : 'not-permitted';
        it(`${from} -> ${to} by ${actor}: ${expected}`, () => {
          assert.equal(decide(from, to, actor).kind, expected);
        });
      }
    }
  }

  it('names both states when a move does not exist', () => {
    const decision = decide('Completed', 'Pending', 'admin');
    assert.equal(decision.kind, 'invalid');
    assert.match(decision.kind === 'invalid' ? decision.message : '', /Completed.*Pending/);
  });

  it('tells a customer who asks for a shop-only move what they can do', () => {
    const decision = decide('Approved', 'ReadyForPickup', 'customer');
    assert.equal(decision.kind, 'not-permitted');
    assert.match(decision.kind === 'not-permitted' ? decision.message : '', /Only the shop.*cancel/);
  });

  it('reads status names in any case, and nothing else', () => {
    assert.equal(parseStatus('cancelled'), 'Cancelled');
    assert.equal(parseStatus(' READYFORPICKUP '), 'ReadyForPickup');
    assert.equal(parseStatus('Shipped'), undefined);
    assert.equal(parseStatus(''), undefined);
  });
});
