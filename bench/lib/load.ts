import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
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

/** Drives a server from this process for `seconds`, cycling through the given requests. */
export async function load(
  url: string,
  requests: LoadRequest[],
  options: { seconds: number; connections: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections,
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
    value: `${measured.rps} req/s (p99 ${measured.p99} ms)`,
    baseline: `${baseline.rps} req/s (p99 ${baseline.p99} ms)`,
    ratio: ratio(measured.rps, baseline.rps),
    note: failures > 0 ? `${failures} failed requests` : undefined,
  };
}
