import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock, minutes, systemClock } from './clock.js';

describe('clocks', () => {
  it('a manual clock gives the instant it was set to and moved by, as a Date and in milliseconds', () => {
    const clock = new ManualClock('2026-05-01T10:00:00Z');
    clock.advance(minutes(5));
    assert.equal(clock.now().toISOString(), '2026-05-01T10:05:00.000Z');
    assert.equal(clock.millis(), Date.parse('2026-05-01T10:05:00Z'));
    clock.set('2027-01-01T00:00:00Z');
    assert.equal(clock.millis(), clock.now().getTime());
  });

  it('the system clock gives the time of day both ways', () => {
    const before = Date.now();
    const [date, millis] = [systemClock.now().getTime(), systemClock.millis()];
    const after = Date.now();
    for (const t of [date, millis]) assert.ok(t >= before && t <= after, `${t} within [${before}, ${after}]`);
  });
});
