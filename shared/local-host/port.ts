import net from 'node:net';

/** The local host cannot listen where it was asked to; the message says in one line what to do. */
export class PortUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortUnavailableError';
  }
}

/**
 * Fails fast, before migrating and seeding, when the port is taken (typically a second `npm start`).
 * A short probe: the real listen happens after start-up, and a port taken in between is reported
 * the same way by {@link listenError}.
 */
export async function assertPortAvailable(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Turns a failed listen into a one-line answer; other errors are returned as they are. */
export function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE')
    return new PortUnavailableError(
      `${where} is already in use (another npm start?): stop that one, or start this one on another port with PORT=${port === 65535 ? 7072 : port + 1} npm start`,
    );
  if (code === 'EACCES')
    return new PortUnavailableError(
      `Listening on ${where} needs privileges this user does not have: choose a port above 1023, e.g. PORT=7071 npm start`,
    );
  if (code === 'EADDRNOTAVAIL')
    return new PortUnavailableError(
      `HOST ${host} is not an address of this machine: use HOST=127.0.0.1 (this machine only) or HOST=0.0.0.0 (every interface)`,
    );
  return error;
}
