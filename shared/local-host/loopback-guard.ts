import { isIP } from 'node:net';

/**
 * The local pages (mailbox, checkout) are for the person at this machine. Two checks keep them
 * there: the client is on loopback, and the Host header names loopback. The second stops DNS
 * rebinding, where a web page's own hostname is made to resolve to 127.0.0.1 so the browser sends
 * its requests (with that hostname as Host) to the shop running here.
 */
export function isLoopbackRequest(req: {
  socket: { remoteAddress?: string | undefined };
  headers: { host?: string | undefined };
}): boolean {
  return isLoopbackAddress(req.socket.remoteAddress ?? '') && isLoopbackHost(req.headers.host ?? '');
}

function isLoopbackAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/** `127.0.0.1`, `localhost` or `[::1]`, with any port. */
function isLoopbackHost(host: string): boolean {
  return /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i.test(host);
}
