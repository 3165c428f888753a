import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { success } from '../../../shared/http/envelope.js';
import { JSON_CONTENT_TYPE, rawResponse, type HandlerResult } from '../../../shared/http/types.js';
import { registry } from '../../../shared/functions/registry.js';
import { currentPlatform } from '../../../shared/platform/current.js';
import type { MaybePromise } from '../../../shared/platform/maybe-promise.js';
import type { Platform } from '../../../shared/platform/platform.js';

/** A dependency's state only: the reason a probe failed is logged, never shown to the public. */
const check = z.object({ status: z.enum(['ok', 'failing']), ms: z.number() });
export const healthSchema = z.object({
  status: z.enum(['healthy', 'unhealthy']),
  checks: z.record(z.string(), check),
});

async function probe(p: Platform, name: string, run: () => Promise<void>): Promise<z.infer<typeof check>> {
  const started = performance.now();
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 5 s')), 5_000).unref()),
    ]);
    return { status: 'ok', ms: Math.round(performance.now() - started) };
  } catch (error) {
    p.log.warn('health: a dependency is failing', { dependency: name, error });
    return { status: 'failing', ms: Math.round(performance.now() - started) };
  }
}

type HealthReport = z.infer<typeof healthSchema>;

// Probes run at most once a second, however often the endpoint is polled, so a load balancer or
// an attacker polling /api/health cannot turn it into load on every database. The answer is encoded
// once per round of probes: the polls of that second send the same bytes, and once the round has
// settled, they get them without a promise on the way.
const cacheMs = 1_000;
interface Encoded {
  healthy: boolean;
  body: string;
}
interface Round {
  at: number;
  answer: Promise<Encoded>;
  settled?: Encoded;
}
/** Each platform's latest round (one per process in production; tests start several). */
const rounds = new WeakMap<Platform, Round>();

function startRound(platform: Platform, at: number): Round {
  const round: Round = { at, answer: encodedAnswer(platform) };
  rounds.set(platform, round);
  // A round that fails is answered (as an error) through its promise, for the rest of its second.
  round.answer.then(
    (encoded) => (round.settled = encoded),
    () => undefined,
  );
  return round;
}

async function encodedAnswer(platform: Platform): Promise<Encoded> {
  const report = await checkDependencies(platform);
  const healthy = report.status === 'healthy';
  return { healthy, body: JSON.stringify(success(report, healthy ? '' : 'A dependency is down.')) };
}

function answerOf({ healthy, body }: Encoded): HandlerResult {
  const headers = { 'cache-control': 'no-store' };
  return healthy
    ? rawResponse(body, JSON_CONTENT_TYPE, 200, headers)
    : rawResponse(body, JSON_CONTENT_TYPE, 503, headers);
}

async function checkDependencies(p: Platform): Promise<HealthReport> {
  const probes: [string, () => Promise<void>][] = [
    ...registry.domains
      .filter((d) => d.migrations.length > 0)
      .map((d): [string, () => Promise<void>] => [`database:${d.name}`, () => p.database(d.name).ping()]),
    [`events:${p.transport.kind}`, () => p.transport.ping()],
    [`blobs:${p.blobs.kind}`, () => p.blobs.ping()],
    [`email:${p.mailer.kind}`, () => p.mailer.ping()],
  ];
  const results = await Promise.all(
    probes.map(async ([name, run]) => [name, await probe(p, name, run)] as const),
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
  handler(): MaybePromise<HandlerResult> {
    const platform = currentPlatform();
    const now = platform.clock.millis();
    const last = rounds.get(platform);
    // A clock set back (tests) starts a round too.
    const round = last && now >= last.at && now - last.at < cacheMs ? last : startRound(platform, now);
    return round.settled ? answerOf(round.settled) : round.answer.then(answerOf);
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
  handler(): HandlerResult {
    return {
      kind: 'envelope',
      status: 200,
      data: { status: 'alive' },
      message: '',
      headers: { 'cache-control': 'no-store' },
    };
  },
});
