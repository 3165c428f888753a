import { throttlingKeyOf } from '../../shared/http/client-address.js';
import { AppError } from '../../shared/http/errors.js';
import { days, minutes } from '../../shared/time/clock.js';
import type { AuthDeps } from './auth.deps.js';
import * as repo from './auth.repository.js';

/**
 * Limits on password checks (sign-in, and the current password of changepassword), reserved before
 * bcrypt runs so that no number of parallel requests gets more checks than the limits allow:
 *
 * - per account and client (an IPv6 client counts by its /64): at most LOGIN_MAX_FAILURES checks in
 *   LOGIN_WINDOW_MINUTES, then 429 until the window ends;
 * - per account, whatever the address (guesses spread over many addresses): the first
 *   LOGIN_MAX_FAILURES checks run at once, then each must wait for the one before, 1 s doubling up to
 *   LOGIN_DELAY_MAX_SECONDS. It slows guessing down and never locks the account: a client the account
 *   signed in from within REFRESH_TOKEN_DAYS skips this wait (guesses from elsewhere cannot keep the
 *   owner out; only the first limit applies to it), anyone else gets in once the wait is over, and a
 *   password reset ends it.
 *
 * A check that succeeds gives its reservations back; one that fails keeps them. The same happens for
 * an email without an account, so the answers tell nothing about which accounts exist.
 */
export interface Reservation {
  email: string;
  clientIp: string;
}

export async function reservePasswordCheck(
  deps: AuthDeps,
  email: string,
  clientAddress: string,
): Promise<Reservation> {
  const key = { email, clientIp: throttlingKeyOf(clientAddress) };
  const { LOGIN_MAX_FAILURES: max, LOGIN_WINDOW_MINUTES: windowMinutes } = deps.config;
  const now = deps.clock.now();
  const startedAfter = new Date(now.getTime() - minutes(windowMinutes));
  if (!(await repo.reserveLoginAttempt(deps.db, key, { now, startedAfter, max }))) {
    const started = (await repo.loginWindowStart(deps.db, key)) ?? now;
    const waitMs = started.getTime() + minutes(windowMinutes) - now.getTime();
    const wait = Math.max(1, Math.ceil(waitMs / 60_000));
    throw tooManyAttempts(
      `Too many failed sign-in attempts. Try again in ${wait} minute${wait === 1 ? '' : 's'}, or reset your password.`,
      wait * 60,
    );
  }
  const knownSince = new Date(now.getTime() - days(deps.config.REFRESH_TOKEN_DAYS));
  // '' is every caller whose address the host could not tell: never one client the account knows.
  if (key.clientIp !== '' && (await repo.isKnownClient(deps.db, key, knownSince))) return key;
  try {
    await reserveAccountCheck(deps, email);
  } catch (error) {
    // The account's own limit refused it: no check ran, so the pair's count is given back.
    await repo.returnLoginAttempt(deps.db, key);
    throw error;
  }
  return key;
}

/** A check that passed: the account and this client start afresh, and the client is known from now on. */
export async function releasePasswordCheck(deps: AuthDeps, reservation: Reservation): Promise<void> {
  const now = deps.clock.now();
  const staleBefore = new Date(now.getTime() - minutes(deps.config.LOGIN_WINDOW_MINUTES));
  await repo.clearLoginAttempts(deps.db, reservation.email, reservation.clientIp, staleBefore);
  await repo.clearAccountLoginDelay(deps.db, reservation.email);
  if (reservation.clientIp !== '') await repo.rememberKnownClient(deps.db, reservation, now);
  const knownSince = new Date(now.getTime() - days(deps.config.REFRESH_TOKEN_DAYS));
  await repo.forgetStaleLoginState(deps.db, { now, quietBefore: staleBefore, knownSince });
}

/** A password reset proves the owner: every limit on the account ends. */
export async function clearPasswordCheckLimits(deps: AuthDeps, email: string): Promise<void> {
  const staleBefore = new Date(deps.clock.now().getTime() - minutes(deps.config.LOGIN_WINDOW_MINUTES));
  await repo.clearLoginAttempts(deps.db, email, null, staleBefore);
  await repo.clearAccountLoginDelay(deps.db, email);
}

/**
 * How long the account waits after its n-th unreturned check: nothing before the `free`-th, then
 * 1 s, doubling with each further one, capped.
 */
export function accountDelayMs(failures: number, free: number, maxSeconds: number): number {
  if (failures < free) return 0;
  const exponent = Math.min(failures - free, 30);
  return Math.min(1000 * 2 ** exponent, maxSeconds * 1000);
}

const MAX_RACES = 10;

/**
 * Reserves the account's next check: compare-and-set on the row read, so two requests that read the
 * same state cannot both pass; the loser reads again (and waits its turn, or is refused).
 */
async function reserveAccountCheck(deps: AuthDeps, email: string): Promise<void> {
  const { LOGIN_MAX_FAILURES: free, LOGIN_WINDOW_MINUTES, LOGIN_DELAY_MAX_SECONDS } = deps.config;
  for (let race = 0; race < MAX_RACES; race++) {
    const now = deps.clock.now();
    const row = await repo.findAccountLoginDelay(deps.db, email);
    if (row && row.not_before_at.getTime() > now.getTime()) {
      const wait = Math.max(1, Math.ceil((row.not_before_at.getTime() - now.getTime()) / 1000));
      throw tooManyAttempts(
        `Too many failed sign-in attempts for this account. Try again in ${wait} second${wait === 1 ? '' : 's'}, or reset your password.`,
        wait,
      );
    }
    // Failures older than the window are forgotten: the delay only lasts while someone keeps guessing.
    const quietSince = now.getTime() - minutes(LOGIN_WINDOW_MINUTES);
    const failures = (row && row.last_failed_at.getTime() > quietSince ? row.failures : 0) + 1;
    const next = {
      failures,
      last_failed_at: now,
      not_before_at: new Date(now.getTime() + accountDelayMs(failures, free, LOGIN_DELAY_MAX_SECONDS)),
    };
    const reserved = row
      ? await repo.advanceAccountLoginDelay(deps.db, email, row, next, now)
      : await repo.insertAccountLoginDelay(deps.db, { email, ...next });
    if (reserved) return;
  }
  throw tooManyAttempts('Too many sign-in attempts at once for this account. Try again in a second.', 1);
}

function tooManyAttempts(message: string, retryAfterSeconds: number): AppError {
  return new AppError('too_many_requests', message, {
    field: 'password',
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
}
