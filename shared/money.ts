import { z } from 'zod';
import { documentedAs } from './http/openapi-hints.js';

/**
 * Money is stored in integer minor units (cents). The API shows decimal amounts. Decimal input is
 * parsed from its text without floating point, and every rounding is half away from zero at the
 * minor unit, here and nowhere else.
 */
export const MINOR_DIGITS = 2;
const SCALE = 10 ** MINOR_DIGITS;

/** `"12.5"` / `12.5` → 1250. Returns undefined for anything that is not a plain decimal with at most 2 decimals. */
export function parseMoney(input: string | number): number | undefined {
  const text = typeof input === 'number' ? (Number.isFinite(input) ? numberText(input) : '') : input.trim();
  const m = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  const whole = Number(m[2]);
  const fraction = Number((m[3] ?? '').padEnd(MINOR_DIGITS, '0'));
  const minor = whole * SCALE + fraction;
  return m[1] ? -minor : minor;
}

// A JS number's shortest round-trip text (12.5 → "12.5", 1e21 → rejected by the pattern).
function numberText(n: number): string {
  return String(n);
}

/** 1250 → 12.5 (a JSON number for the API). Exact for every integer below 2^53. */
export function toDecimal(minor: number): number {
  return Number((minor / SCALE).toFixed(MINOR_DIGITS));
}

/** numerator / denominator rounded half away from zero, in integers (no floating point). */
export function divideRounded(numerator: number | bigint, denominator: number | bigint): number {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  if (d === 0n) throw new RangeError('division by zero');
  const sign = n < 0n !== d < 0n ? -1n : 1n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (2n * an + ad) / (2n * ad);
  return Number(sign * q);
}

/** `percent` of `minor` (percent may have 2 decimals, given in hundredths: 1250 = 12.5%). */
export function percentOf(minor: number, percentHundredths: number): number {
  return divideRounded(BigInt(minor) * BigInt(percentHundredths), 100 * 100);
}

/** A zod field for a money amount in a request: a JSON number or numeric string, ≥ 0, ≤ max. */
export function moneyInput(options: { max?: number; allowZero?: boolean } = {}) {
  const max = options.max ?? 1_000_000_00;
  return documentedAs(
    z.union([z.number(), z.string()]).transform((value, ctx) => {
      const minor = parseMoney(value);
      if (minor === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be an amount with at most 2 decimals, like 19.95' });
        return z.NEVER;
      }
      if (minor < 0 || (minor === 0 && options.allowZero === false)) {
        ctx.addIssue({
          code: 'custom',
          message: options.allowZero === false ? 'must be more than 0' : 'must not be negative',
        });
        return z.NEVER;
      }
      if (minor > max) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${toDecimal(max)}` });
        return z.NEVER;
      }
      return minor;
    }),
    {
      type: 'number',
      minimum: options.allowZero === false ? 0.01 : 0,
      maximum: toDecimal(max),
      multipleOf: 0.01,
      examples: [19.95],
    },
  );
}
