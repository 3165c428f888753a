import { isIP } from 'node:net';
import type { Config } from '../config/config.js';

/**
 * The local pages (mailbox, checkout) are for the person at this machine. Two checks keep them
 * there: the client is on loopback, and the Host header names loopback or one of the shop's own
 * configured hosts (`PUBLIC_BASE_URL`, `SHOP_URL`, `STOREFRONT_ORIGINS`: names the developer chose,
 * such as `shop.test` in /etc/hosts). The second stops DNS rebinding, where a web page's own
 * hostname is made to resolve to 127.0.0.1 so the browser sends its requests (with that hostname as
 * Host) to the shop running here.
 */
export function isLoopbackRequest(
  req: {
    socket: { remoteAddress?: string | undefined };
    headers: { host?: string | undefined };
  },
  configuredHosts: readonly string[] = [],
): boolean {
  return (
    isLoopbackAddress(req.socket.remoteAddress ?? '') &&
    isAllowedHost(req.headers.host ?? '', configuredHosts)
  );
}

/** The host names (lower case, no port) the shop's settings name: its public base URL and the storefront's. */
export function configuredHostsOf(
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'SHOP_URL' | 'STOREFRONT_ORIGINS'>,
): string[] {
  const urls = [config.PUBLIC_BASE_URL, config.SHOP_URL, ...config.STOREFRONT_ORIGINS];
  const hosts = urls
    .filter((u): u is string => u !== undefined && URL.canParse(u))
    .map((u) => new URL(u).hostname.toLowerCase());
  return [...new Set(hosts)];
}

function isLoopbackAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/** `127.0.0.1`, `localhost`, `[::1]` or a configured host name, with any port. */
function isAllowedHost(host: string, configuredHosts: readonly string[]): boolean {
  if (/^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i.test(host)) return true;
  const match = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i.exec(host);
  return match !== null && configuredHosts.includes((match[1] ?? '').toLowerCase());
}

/**
 * Whether the Host header can be trusted not to be DNS rebinding, for the API (any client, since
 * HOST may open it to the network): an address (rebinding needs a name the attacker's DNS answers),
 * `localhost` or a name under `.localhost` (browsers resolve those to loopback themselves), or one of
 * the shop's configured host names. A rebinding page's own name (`rebind.attacker.example`) is none
 * of these, so it cannot sign in with the demo accounts' public passwords and read the answer.
 */
export function isRebindingSafeHost(
  host: string | undefined,
  configuredHosts: readonly string[] = [],
): boolean {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/i.exec(host ?? '');
  if (!match) return false;
  if (match[1] !== undefined) return isIP(match[1]) === 6;
  const name = (match[2] ?? '').toLowerCase();
  if (isIP(name) === 4) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return configuredHosts.includes(name);
}

/** True when HOST makes the local host listen beyond this machine (anything but loopback). */
export function listensBeyondLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return !(bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.')));
}

/**
 * What the start banner says about who can reach the shop: by default only this machine (HOST is
 * loopback); a HOST that opens it to the network gets a warning nobody can miss, because the demo
 * accounts and the API then answer anyone who can reach this machine.
 */
export function listenNotice(host: string, port: number): string[] {
  if (!listensBeyondLoopback(host))
    return [
      `  Listening on ${host} (loopback) only: nothing but this machine can reach it. HOST=0.0.0.0 would open it to your network.`,
    ];
  const bar = '  ' + '!'.repeat(78);
  return [
    bar,
    `  !! WARNING: HOST=${host} opens this shop to every machine that can reach this one on port ${port}.`,
    '  !! Its API, the demo accounts and any data in it answer them. The mailbox and checkout pages',
    '  !! still answer this machine only. Unset HOST (default 127.0.0.1) unless you mean it.',
    bar,
  ];
}
