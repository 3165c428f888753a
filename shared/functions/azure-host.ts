import azureFunctions, {
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import { consumeMessage, type AnyConsumer } from '../events/consumer.js';
import { PoisonMessageError } from '../events/poison.js';
import { parseClientAddress } from '../http/client-address.js';
import type { AppError } from '../http/errors.js';
import { encodingProblem, bodyLimitOf, bodyTooLarge } from '../http/request-limits.js';
import { errorResponse } from '../http/error-mapper.js';
import { correlationIdOf, runHttpFunction } from '../http/pipeline.js';
import type { AnyHttpFunction } from '../http/types.js';
import { PlatformStartError, stopPlatform } from '../platform/current.js';
import type { Platform } from '../platform/platform.js';
import type { Logger } from '../telemetry/logger.js';
import type { TimerDefinition } from './definitions.js';

/** The Service Bus connection setting (`ServiceBusConnection__fullyQualifiedNamespace` in Azure). */
export const serviceBusConnection = 'ServiceBusConnection';

/** How a worker gets its platform: started on first use, retried after a failed start (the entry says how). */
export type PlatformStart = () => Promise<Platform>;

/** The functions to hand to the Functions host: the registry's, normally. */
export interface AzureFunctionSet {
  http: readonly AnyHttpFunction[];
  consumers: readonly AnyConsumer[];
  timers: readonly TimerDefinition[];
}

/**
 * Registers every function with `@azure/functions` (the Azure entry, functions/azure.ts, calls it
 * once when the worker loads the app): HTTP triggers, Service Bus topic triggers and timers.
 */
export function registerWithAzure(functions: AzureFunctionSet, start: PlatformStart): void {
  const { app } = azureFunctions;
  const platform = withStartupSweep(start);
  // A worker that shuts down gracefully closes the platform, which first runs the domains'
  // shutdown steps (the catalog writes the views it counted in memory).
  app.hook.appTerminate(() => stopPlatform());
  for (const fn of functions.http) {
    app.http(fn.name, {
      route: fn.route,
      methods: fn.methods,
      // Only API Management reaches the functions: it sends the function key (x-functions-key,
      // from a Key Vault named value), so a caller who skips the gateway (its JWT validation and
      // rate limits) is refused by the host itself. Each function still checks tokens and roles.
      authLevel: 'function',
      handler: azureHttpHandler(fn, platform),
    });
  }
  for (const consumer of functions.consumers) {
    app.serviceBusTopic(consumer.name, {
      connection: serviceBusConnection,
      topicName: consumer.event.topic,
      subscriptionName: consumer.name,
      handler: azureMessageHandler(consumer, platform),
    });
  }
  for (const timer of functions.timers) {
    app.timer(timer.name, {
      schedule: azureSchedule(timer),
      handler: async () => timer.run(await platform()),
    });
  }
}

/** A timer's NCRONTAB, or `%SETTING%` for the host to read from the app settings. */
export function azureSchedule(timer: TimerDefinition): string {
  return typeof timer.schedule === 'string' ? timer.schedule : `%${timer.schedule.setting}%`;
}

/**
 * The worker's platform. The first start of an instance also publishes whatever a crash left in any
 * outbox (in the background): with no frequent relay timer, this is one of the moments it happens.
 */
function withStartupSweep(start: PlatformStart): PlatformStart {
  let swept = false;
  return async () => {
    const platform = await start();
    if (!swept) {
      swept = true;
      void platform.relay
        .publishAll()
        .catch((error: unknown) =>
          platform.log.warn('the start-up outbox sweep failed; the relay retries', { error }),
        );
    }
    return platform;
  };
}

/** Adapts the platform's HttpRequest to the pipeline and its result back to an HttpResponseInit. */
export function azureHttpHandler(fn: AnyHttpFunction, start: PlatformStart) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    let platform: Platform;
    try {
      platform = await start();
    } catch (error) {
      // Retried on a later request (shared/platform/current.ts); the detail goes to the host's log.
      context.error('the platform could not start', error);
      return notStarted(fn, request, error);
    }
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
    // The host's own trace context when the request brought none, so the story starts at the host.
    const hostTrace = context.traceContext?.traceParent;
    if (!headers['traceparent'] && hostTrace) headers['traceparent'] = hostTrace;
    const malformed = encodingProblem(`${url.pathname}${url.search}`);
    if (malformed) return refusal(malformed, headers, platform.log);
    // A declared size is refused unread; a chunked body declares none, so its bytes are measured too.
    // JSON bodies have their own, smaller limit (MAX_JSON_BODY_BYTES).
    const limit = bodyLimitOf(fn, platform.config);
    if (Number(headers['content-length'] ?? '0') > limit)
      return refusal(bodyTooLarge(limit), headers, platform.log);
    const body = Buffer.from(await request.arrayBuffer());
    if (body.length > limit) return refusal(bodyTooLarge(limit), headers, platform.log);

    const out = await runHttpFunction(
      fn,
      {
        method: request.method,
        path: url.pathname,
        query: url.searchParams,
        headers,
        body,
        params: { ...request.params },
        clientIp: clientIpOf(headers),
        baseUrl: platform.config.PUBLIC_BASE_URL ?? url.origin,
      },
      platform.pipelineEnv,
    );
    return { status: out.status, headers: out.headers, body: out.body };
  };
}

/**
 * The caller's address as API Management saw it: its policy overwrites `x-shop-client-ip` with
 * `context.Request.IpAddress` on every request, and only APIM can reach the functions (function
 * key). Never the leftmost X-Forwarded-For, which any client writes itself, nor `x-client-ip` or
 * `client-ip`, which App Service's front end writes with the address of its own peer: APIM's
 * outbound address, the same for every shopper (every account would share one sign-in limit, and
 * every account would know that "client"). Parsed into one canonical form (a port, brackets and a
 * zone dropped; an IPv4-mapped IPv6 address as IPv4).
 */
export function clientIpOf(headers: Record<string, string | undefined>): string {
  return parseClientAddress(headers[CLIENT_IP_HEADER]);
}

/** The header APIM writes the client's address in: a name of ours, which no Azure front end writes. */
export const CLIENT_IP_HEADER = 'x-shop-client-ip';

/** 503 in the envelope while the platform cannot start (health says which part: the start-up). */
function notStarted(fn: AnyHttpFunction, request: HttpRequest, error: unknown): HttpResponseInit {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
  const retryIn = error instanceof PlatformStartError ? Math.max(1, Math.ceil(error.retryInMs / 1000)) : 1;
  const data =
    fn.route === 'health' ? { status: 'unhealthy', checks: { startup: { status: 'failing', ms: 0 } } } : null;
  return {
    status: 503,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'retry-after': String(retryIn),
      'x-correlation-id': correlationIdOf(headers),
    },
    body: JSON.stringify({
      data,
      isSuccess: false,
      message: 'The shop is starting up; please try again in a moment.',
      type: '',
      code: 'unavailable',
    }),
  };
}

/** A request refused before the pipeline (a body over the limit, a malformed address), in the envelope. */
function refusal(error: AppError, headers: Record<string, string>, log: Logger): HttpResponseInit {
  const correlationId = correlationIdOf(headers);
  const response = errorResponse(error, correlationId, log);
  return {
    status: response.status,
    headers: {
      ...response.headers,
      'x-correlation-id': correlationId,
      'content-type': 'application/json; charset=utf-8',
    },
    body: JSON.stringify(response.envelope),
  };
}

/**
 * Adapts a Service Bus trigger to the idempotent consumer; throwing lets the host retry and, after
 * the subscription's maxDeliveryCount, dead-letter the message.
 *
 * A poison message (PoisonMessageError: it does not parse) cannot be dead-lettered at once from a
 * plain trigger: the Node worker can only succeed or fail, and the dead-letter reason Service Bus
 * records is MaxDeliveryCountExceeded. (The SDK-binding trigger, `sdkBinding: true`, could call
 * deadLetter with a reason, but it needs @azure/functions-extensions-servicebus, still a 0.x
 * preview, and auto-completion turned off, which @azure/functions 4.x offers topic triggers only
 * host-wide.) So the real reason goes to telemetry: an
 * error log with the message id, the delivery count and the validation error, searchable in
 * Application Insights by `poison`, on every attempt until the host gives up.
 */
export function azureMessageHandler(consumer: AnyConsumer, start: PlatformStart) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    const platform = await start();
    try {
      await consumeMessage(consumer, message, {
        clock: platform.clock,
        log: platform.log,
        relay: platform.relay,
      });
    } catch (error) {
      if (error instanceof PoisonMessageError) {
        platform.log.error('poison message: it will be dead-lettered as MaxDeliveryCountExceeded', {
          poison: true,
          consumer: consumer.name,
          subscription: consumer.name,
          topic: consumer.event.topic,
          messageId: context.triggerMetadata?.['messageId'],
          deliveryCount: context.triggerMetadata?.['deliveryCount'],
          invocationId: context.invocationId,
          reason: error.reason,
        });
      }
      throw error;
    }
  };
}
