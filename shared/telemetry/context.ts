import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * The context of the request or message being handled, wherever the code runs: its correlation id
 * (x-correlation-id, shown to clients) and its W3C trace context. The trace id travels from the HTTP
 * request through the outbox row, the Service Bus message's application properties and each
 * consumer, so one order's whole story is one query in Application Insights (operation_Id).
 */
export interface TraceContext {
  /** 32 lower-case hex digits, the same for every step of one story. */
  traceId: string;
  /** 16 lower-case hex digits, this step's own. */
  spanId: string;
}

interface Context {
  correlationId: string;
  trace: TraceContext;
}

const storage = new AsyncLocalStorage<Context>();

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** A trace context from a `traceparent` value; undefined for a missing, malformed or all-zero one. */
export function parseTraceparent(value: string | undefined): TraceContext | undefined {
  const match = traceparentPattern.exec(value?.trim().toLowerCase() ?? '');
  if (!match?.[1] || !match[2] || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return undefined;
  return { traceId: match[1], spanId: match[2] };
}

export const formatTraceparent = (trace: TraceContext) => `00-${trace.traceId}-${trace.spanId}-01`;

/** A new step of the same story (a new span id), or the start of a new story. */
export function nextTrace(parent: TraceContext | undefined): TraceContext {
  return {
    traceId: parent?.traceId ?? randomHex(16),
    spanId: randomHex(8),
  };
}

// Trace and span ids are identifiers, not secrets: they are cut from a pool of random bytes filled
// 4 KiB at a time and encoded as hex once, because a call into the system's random source per
// request cost about a tenth of a small request's time, and an encoding per id showed too.
const poolBytes = 4096;
let pool = '';
let offset = 0;

function randomHex(bytes: number): string {
  const digits = bytes * 2;
  if (offset + digits > pool.length) {
    pool = randomBytes(poolBytes).toString('hex');
    offset = 0;
  }
  const hex = pool.slice(offset, offset + digits);
  offset += digits;
  return hex;
}

/** Runs work as one step of the story `parent` (a traceparent, or none to start one). */
export function withContext<T>(
  context: { correlationId: string; traceparent?: string | undefined },
  work: () => T,
): T {
  return storage.run(
    { correlationId: context.correlationId, trace: nextTrace(parseTraceparent(context.traceparent)) },
    work,
  );
}

/**
 * Runs `start` outside any request's context: a timer or background job started there does not
 * carry, for its whole life, the correlation id and trace of the request that happened to create it.
 */
export function detached<T>(start: () => T): T {
  return storage.exit(start);
}

/** Kept for callers that have no trace to continue. */
export function withCorrelation<T>(correlationId: string, work: () => Promise<T>): Promise<T> {
  return withContext({ correlationId }, work);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

export function currentTrace(): TraceContext | undefined {
  return storage.getStore()?.trace;
}

/** The `traceparent` to hand the next step (an outbox row, a message), or undefined outside any story. */
export function currentTraceparent(): string | undefined {
  const trace = currentTrace();
  return trace && formatTraceparent(trace);
}
