import { isIPv4, isIPv6 } from 'node:net';

/**
 * The longest text a client address takes once parsed: an IPv6 address in full with an IPv4 tail
 * (`ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`, INET6_ADDRSTRLEN less its NUL). Columns that
 * hold one are this wide.
 */
export const CLIENT_ADDRESS_MAX_LENGTH = 45;

/**
 * The caller's address as a host hands it over, in one canonical form: `203.0.113.9`,
 * `2001:db8::1`. Accepts a bare address, `v4:port`, `[v6]:port`, `[v6]` and a zone (`fe80::1%eth0`,
 * dropped); an IPv4-mapped IPv6 address (`::ffff:203.0.113.9`, what a dual-stack socket reports)
 * is the IPv4 address it carries. Anything else is '' (not an address).
 */
export function parseClientAddress(raw: string | undefined): string {
  let text = (raw ?? '').trim();
  if (text === '' || text.length > 100) return '';
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1] ?? '';
  else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  text = text.replace(/%[\w.-]+$/, '');
  if (isIPv4(text)) return text;
  if (!isIPv6(text)) return '';
  const groups = ipv6Groups(text);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  }
  return compressIpv6(groups);
}

/**
 * The key that throttling counts a client by: an IPv4 address itself, an IPv6 address's /64 (one
 * customer network: an attacker holds a whole /64 and would otherwise count as 2^64 clients).
 * '' stays '' (every caller without a known address shares one key).
 */
export function throttlingKeyOf(address: string): string {
  if (!isIPv6(address)) return address;
  const groups = ipv6Groups(address);
  return `${compressIpv6([...groups.slice(0, 4), 0, 0, 0, 0])}/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (an IPv4 tail becomes the last two). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail) {
    const [a = 0, b = 0, c = 0, d = 0] = (v4Tail[1] ?? '').split('.').map(Number);
    text = `${text.slice(0, -(v4Tail[1] ?? '').length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const front = part(head);
  const back = part(tail);
  const zeros = tail === undefined ? [] : Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...zeros, ...back];
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
function compressIpv6(groups: number[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.length < 2) return hex.join(':');
  const left = hex.slice(0, best.start).join(':');
  const right = hex.slice(best.start + best.length).join(':');
  return `${left}::${right}`;
}
