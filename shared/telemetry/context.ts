import { AsyncLocalStorage } from 'node:async_hooks';

/** The correlation id of the request or message being handled, wherever the code runs. */
const storage = new AsyncLocalStorage<{ correlationId: string }>();

export function withCorrelation<T>(correlationId: string, work: () => Promise<T>): Promise<T> {
  return storage.run({ correlationId }, work);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
