/** The one source of "now": services take a clock so tests can move time. */
export interface Clock {
  now(): Date;
  /** The same instant in milliseconds since the epoch, without making a Date (hot paths). */
  millis(): number;
}

export const systemClock: Clock = { now: () => new Date(), millis: () => Date.now() };

/** A clock tests set and advance by hand. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.#now = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  millis(): number {
    return this.#now;
  }
  set(at: Date | string): void {
    this.#now = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

export const minutes = (n: number): number => n * 60_000;
export const days = (n: number): number => n * 86_400_000;
