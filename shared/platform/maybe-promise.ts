/**
 * A value, or a promise of it: for the request path, where work that has its answer at hand returns
 * it directly. With the trace context's AsyncLocalStorage every promise costs a hook call, and on
 * a small request those calls are a measurable part of the whole.
 */
export type MaybePromise<T> = T | Promise<T>;

/** Whether `value` is a promise (or any thenable, which `await` would treat as one). */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return (
    value instanceof Promise ||
    (typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function')
  );
}
