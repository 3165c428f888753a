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
