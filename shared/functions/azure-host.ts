import azureFunctions, {
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import { consumeMessage, type AnyConsumer } from '../events/consumer.js';
import { AppError } from '../http/errors.js';
import { errorResponse } from '../http/error-mapper.js';
import { correlationIdOf, runHttpFunction } from '../http/pipeline.js';
import type { AnyHttpFunction } from '../http/types.js';
import { startPlatform } from '../platform/current.js';
import type { Logger } from '../telemetry/logger.js';
import type { TimerDefinition } from './definitions.js';

/** The Service Bus connection setting (`ServiceBusConnection__fullyQualifiedNamespace` in Azure). */
export const serviceBusConnection = 'ServiceBusConnection';

/** True inside the Azure Functions worker (Azure or Core Tools), which sets this for every worker. */
export function insideAzureHost(): boolean {
  return process.env['FUNCTIONS_WORKER_RUNTIME'] === 'node';
}

type Registration =
  | { type: 'http'; fn: AnyHttpFunction }
  | { type: 'consumer'; consumer: AnyConsumer }
  | { type: 'timer'; timer: TimerDefinition };

export function registerWithAzure(registration: Registration): void {
  if (!insideAzureHost()) return;
  const { app } = azureFunctions;
  switch (registration.type) {
    case 'http':
      app.http(registration.fn.name, {
        route: registration.fn.route,
        methods: registration.fn.methods,
        authLevel: 'anonymous',
        handler: azureHttpHandler(registration.fn),
      });
      return;
    case 'consumer': {
      const { consumer } = registration;
      app.serviceBusTopic(consumer.name, {
        connection: serviceBusConnection,
        topicName: consumer.event.topic,
        subscriptionName: consumer.name,
        handler: azureMessageHandler(consumer),
      });
      return;
    }
    case 'timer': {
      const { timer } = registration;
      app.timer(timer.name, {
        schedule: timer.schedule,
        handler: async () => timer.run(await startPlatform()),
      });
      return;
    }
  }
}

/** Adapts the platform's HttpRequest to the pipeline and its result back to an HttpResponseInit. */
export function azureHttpHandler(fn: AnyHttpFunction) {
  return async (request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
    const platform = await startPlatform();
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
    // A declared size is refused unread; a chunked body declares none, so its bytes are measured too.
    const limit = platform.config.MAX_BODY_BYTES;
    if (Number(headers['content-length'] ?? '0') > limit) return payloadTooLarge(headers, platform.log);
    const body = Buffer.from(await request.arrayBuffer());
    if (body.length > limit) return payloadTooLarge(headers, platform.log);
    const forwarded = headers['x-forwarded-for']?.split(',')[0]?.trim();
    const out = await runHttpFunction(
      fn,
      {
        method: request.method,
        path: url.pathname,
        query: url.searchParams,
        headers,
        body,
        params: { ...request.params },
        clientIp: forwarded?.replace(/:\d+$/, '') ?? '',
        baseUrl: platform.config.PUBLIC_BASE_URL ?? url.origin,
      },
      platform.pipelineEnv,
    );
    return { status: out.status, headers: out.headers, body: out.body };
  };
}

function payloadTooLarge(headers: Record<string, string>, log: Logger): HttpResponseInit {
  const correlationId = correlationIdOf(headers);
  const error = new AppError('payload_too_large', 'The request body is too large.');
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

/** Adapts a Service Bus trigger to the idempotent consumer; throwing lets the host retry and dead-letter. */
export function azureMessageHandler(consumer: AnyConsumer) {
  return async (message: unknown, _context: InvocationContext): Promise<void> => {
    const platform = await startPlatform();
    await consumeMessage(consumer, message, {
      clock: platform.clock,
      log: platform.log,
      relay: platform.relay,
    });
  };
}
