import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface LoadRequest {
  method?: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** The load: one load-generator thread, 50 connections (wrk -t1 -c50). */
export const CONNECTIONS = 50;

/**
 * Drives a server for `seconds`, cycling through the given requests. autocannon runs in this, the
 * bench's, process on one thread; every server runs in a process of its own, so the load generator
 * never shares the measured server's event loop.
 */
export async function load(
  url: string,
  requests: LoadRequest[],
  options: { seconds: number; connections?: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections ?? CONNECTIONS,
    duration: options.seconds,
    requests: requests.map((r) => ({
      method: r.method ?? 'GET',
      path: r.path,
      body: r.body,
      headers: { 'content-type': 'application/json', ...r.headers },
    })),
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `${((a / b) * 100).toFixed(1)}%`);

/** Rounds of each comparison (BENCH_ROUNDS, default 3). */
export const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1)
  throw new Error(`BENCH_ROUNDS must be a whole number of at least 1, not ${process.env['BENCH_ROUNDS']}`);

/**
 * The shop against its bare baseline, alternately, ROUNDS times: a neighbour's job that slows the
 * machine for a few seconds then lands in one round of one side, not in the whole figure. The row
 * is the round with the median ratio, and names the range of all rounds.
 */
export async function compareRounds(
  name: string,
  shopUrl: string,
  bareUrl: string,
  requests: LoadRequest[],
  seconds: number,
) {
  const rounds: { measured: LoadResult; baseline: LoadResult; ratio: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const baseline = await load(bareUrl, requests, { seconds });
    const measured = await load(shopUrl, requests, { seconds });
    rounds.push({ measured, baseline, ratio: baseline.rps === 0 ? 0 : measured.rps / baseline.rps });
  }
  rounds.sort((a, b) => a.ratio - b.ratio);
  const median = rounds[Math.floor(rounds.length / 2)] ?? rounds[0];
  if (!median) throw new Error('no round ran');
  const row = comparisonRow(name, median.measured, median.baseline);
  const range =
    rounds.length > 1
      ? `median of ${rounds.length} rounds (${ratio(rounds[0]?.measured.rps ?? 0, rounds[0]?.baseline.rps ?? 0)} to ${ratio(rounds.at(-1)?.measured.rps ?? 0, rounds.at(-1)?.baseline.rps ?? 0)})`
      : undefined;
  const failures = rounds.reduce((sum, r) => sum + r.measured.errors + r.measured.non2xx, 0);
  return {
    ...row,
    note:
      [range, failures > 0 ? `${failures} failed requests` : undefined].filter(Boolean).join('; ') ||
      undefined,
  };
}

/** One table row: the measured figure against its same-run baseline. */
export function comparisonRow(name: string, measured: LoadResult, baseline: LoadResult) {
  const failures = measured.errors + measured.non2xx;
  return {
    name,
    value: `${measured.rps} req/s (p50 ${measured.p50} ms, p99 ${measured.p99} ms)`,
    baseline: `${baseline.rps} req/s (p50 ${baseline.p50} ms, p99 ${baseline.p99} ms)`,
    ratio: ratio(measured.rps, baseline.rps),
    note: failures > 0 ? `${failures} failed requests` : undefined,
  };
}
