import { randomBytes } from 'node:crypto';

const processPrefix = randomBytes(6).toString('hex');
let counter = 0;

/**
 * A request id: the client's `x-request-id` when it is a sane token (so traces join up across services),
 * else a new one that is unique per process without asking the system for randomness on every request.
 */
export function requestIdFor(header: string | string[] | undefined): string {
  if (typeof header === 'string' && header.length > 0 && header.length <= 128 && /^[\w.:-]+$/.test(header)) return header;
  counter = (counter + 1) % 0x7fffffff;
  return `req_${processPrefix}${Date.now().toString(36)}${counter.toString(36)}`;
}
