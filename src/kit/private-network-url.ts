import { isIP } from 'node:net';

/**
 * True when a URL points at this machine or a private network (loopback, RFC 1918, link-local, unique-local
 * IPv6, `localhost`, `*.local`, `*.internal`, or a bare host name without dots, as a cluster service name):
 * a server there is self-hosted, which a "local only" policy relies on. Anything else counts as remote.
 */
export function isPrivateNetworkUrl(url: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  const version = isIP(hostname);
  if (version === 4) {
    const [first, second] = hostname.split('.').map(Number);
    return first === 127 || first === 10 || (first === 172 && second >= 16 && second <= 31) || (first === 192 && second === 168) || (first === 169 && second === 254);
  }
  if (version === 6) {
    return hostname === '::1' || /^f[cd][0-9a-f]{2}:/.test(hostname) || /^fe[89ab][0-9a-f]:/.test(hostname) || hostname.startsWith('::ffff:127.');
  }
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname.endsWith('.local') || hostname.endsWith('.internal') || !hostname.includes('.');
}
