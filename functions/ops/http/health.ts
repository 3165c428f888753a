import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { success } from '../../../shared/http/envelope.js';
import { JSON_CONTENT_TYPE, rawResponse, type HandlerResult } from '../../../shared/http/types.js';
import { registry } from '../../../shared/functions/registry.js';
import { currentPlatform } from '../../../shared/platform/current.js';

/** A dependency's state only: the reason a probe failed is logged, never shown to the public. */
const check = z.object({ status: z.enum(['ok', 'failing']), ms: z.number() });
export const healthSchema = z.object({
  status: z.enum(['healthy', 'unhealthy']),
  checks: z.record(z.string(), check),
});

async function probe(name: string, run: () => Promise<void>): Promise<z.infer<typeof check>> {
  const started = performance.now();
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 5 s')), 5_000).unref()),
    ]);
    return { status: 'ok', ms: Math.round(performance.now() - started) };
  } catch (error) {
    currentPlatform().log.warn('health: a dependency is failing', { dependency: name, error });
    return { status: 'failing', ms: Math.round(performance.now() - started) };
  }
}

type HealthReport = z.infer<typeof healthSchema>;

// Probes run at most once a second, however often the endpoint is polled, so a load balancer or
// an attacker polling /api/health cannot turn it into load on every database. The answer is encoded
// once per round of probes: the polls of that second send the same bytes.
const cacheMs = 1_000;
let cached: { at: number; answer: Promise<{ healthy: boolean; body: string }> } | undefined;

async function encodedAnswer(): Promise<{ healthy: boolean; body: string }> {
  const report = await checkDependencies();
  const healthy = report.status === 'healthy';
  return { healthy, body: JSON.stringify(success(report, healthy ? '' : 'A dependency is down.')) };
}

async function checkDependencies(): Promise<HealthReport> {
  const p = currentPlatform();
  const probes: [string, () => Promise<void>][] = [
    ...registry.domains
      .filter((d) => d.migrations.length > 0)
      .map((d): [string, () => Promise<void>] => [`database:${d.name}`, () => p.database(d.name).ping()]),
    [`events:${p.transport.kind}`, () => p.transport.ping()],
    [`blobs:${p.blobs.kind}`, () => p.blobs.ping()],
    [`email:${p.mailer.kind}`, () => p.mailer.ping()],
  ];
  const results = await Promise.all(
    probes.map(async ([name, run]) => [name, await probe(name, run)] as const),
  );
  const healthy = results.every(([, r]) => r.status === 'ok');
  return { status: healthy ? 'healthy' : 'unhealthy', checks: Object.fromEntries(results) };
}

export const health = defineHttp({
  name: 'ops-health',
  route: 'health',
  methods: ['GET'],
  access: 'public',
  bodyKind: 'none',
  response: healthSchema,
  summary:
    'Readiness: the state of each dependency (every database, the event transport, blob storage, email), ' +
    'ok or failing, probed at most once a second (503 when one is failing). Liveness is health/live',
  tags: ['operations'],
  async handler(): Promise<HandlerResult> {
    const now = Date.now();
    if (!cached || now - cached.at >= cacheMs) cached = { at: now, answer: encodedAnswer() };
    const { healthy, body } = await cached.answer;
    const headers = { 'cache-control': 'no-store' };
    return healthy
      ? rawResponse(body, JSON_CONTENT_TYPE, 200, headers)
      : rawResponse(body, JSON_CONTENT_TYPE, 503, headers);
  },
});

/**
 * Liveness: the process answers. It touches no database and no other dependency, so a probe of it
 * never wakes a paused serverless database; readiness (health) is for when the dependencies matter.
 */
export const liveness = defineHttp({
  name: 'ops-liveness',
  route: 'health/live',
  methods: ['GET'],
  access: 'public',
  bodyKind: 'none',
  response: z.object({ status: z.literal('alive') }),
  summary: 'Liveness: the process answers; touches no database (health is the readiness check)',
  tags: ['operations'],
  async handler(): Promise<HandlerResult> {
    return {
      kind: 'envelope',
      status: 200,
      data: { status: 'alive' },
      message: '',
      headers: { 'cache-control': 'no-store' },
    };
  },
});
