/**
 * A delivered message that can never be processed as it is: its body is not an event message, or
 * its payload does not match its event's schema. Retrying cannot help, so the embedded bus
 * dead-letters it at once with this reason (on Azure see azure-host.ts).
 */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';

  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}
