import { Redis } from 'ioredis';

/** Options of {@link openRedis}. Every field has a default fit for the gateway's hot path. */
export interface RedisConnectionOptions {
  /** Shown by `CLIENT LIST`, so an operator can tell the gateway's connections apart. */
  connectionName?: string;
  /**
   * Reconnect attempts a command waits through before it fails (default 1). Kept small on purpose: a request
   * whose limit or budget cannot be checked must fail closed quickly, not hang while Redis is away.
   */
  maxRetriesPerRequest?: number;
  /** How long one connection attempt may take (default 2,000 ms). */
  connectTimeoutMs?: number;
  /** How long a command may wait for its answer, also while queued during a reconnect (default 1,000 ms). */
  commandTimeoutMs?: number;
  /** The longest pause between reconnect attempts (default 1,000 ms); the first ones come sooner. */
  maxReconnectDelayMs?: number;
  /**
   * Called once when an established connection is lost (not on every failed reconnect attempt). The error
   * names the address only: a Redis URL may hold a password, so the URL itself is never part of it.
   */
  onConnectionLost?: (error: Error) => void;
  /** Called when a lost connection is back and ready. */
  onConnectionRestored?: () => void;
}

/** An open Redis connection: the ioredis client (shared by the stores that use it) and how to close it. */
export interface RedisConnection {
  readonly client: Redis;
  /** The address without credentials, for logs and errors. */
  readonly target: string;
  /** Opens another connection to the same server with the same options (pub/sub needs its own). */
  duplicate(connectionName: string): Promise<RedisConnection>;
  /** Closes the connection: pending commands finish, then it quits; no reconnect follows. */
  close(): Promise<void>;
}

/** Redis could not be reached when the gateway started. The message names the address, never credentials. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
}

/** `redis://user:secret@host:6380/2` -> `redis://host:6380/2`: what may appear in logs and errors. */
export function describeRedisTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}:${parsed.port || '6379'}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
  } catch {
    return 'the configured Redis URL (unparseable)';
  }
}

/**
 * Connects to Redis at once and resolves when the connection is ready, or rejects with a
 * {@link RedisUnreachableError} when the server cannot be reached: like PostgreSQL, a gateway configured for
 * Redis fails at start, not at its first request. Afterwards the client reconnects by itself for as long as it
 * is open; while it is away, commands fail within `commandTimeoutMs` (the stores turn that into a 503) and
 * the process never crashes on a connection error.
 */
export async function openRedis(url: string, options: RedisConnectionOptions = {}): Promise<RedisConnection> {
  const target = describeRedisTarget(url);
  const maxReconnectDelayMs = options.maxReconnectDelayMs ?? 1_000;
  const client = new Redis(url, {
    lazyConnect: false,
    connectionName: options.connectionName,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 1,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 50, maxReconnectDelayMs),
    // Commands issued by concurrent requests in the same tick leave in one write: on the request path every
    // governed call sends a few small scripts, and one socket write per command is most of their cost.
    enableAutoPipelining: true,
  });
  watchConnection(client, target, options);
  try {
    await untilReady(client);
  } catch (error) {
    client.disconnect();
    throw new RedisUnreachableError(`Redis at ${target} is unreachable: ${errorMessage(error)}`, { cause: error });
  }
  return connectionOf(client, target, options);
}

function connectionOf(client: Redis, target: string, options: RedisConnectionOptions): RedisConnection {
  return {
    client,
    target,
    duplicate: async (connectionName) => {
      const copy = client.duplicate({ connectionName });
      watchConnection(copy, target, options);
      try {
        await untilReady(copy);
      } catch (error) {
        copy.disconnect();
        throw new RedisUnreachableError(`Redis at ${target} is unreachable: ${errorMessage(error)}`, { cause: error });
      }
      return connectionOf(copy, target, options);
    },
    close: async () => {
      if (client.status === 'end') return;
      try {
        await client.quit();
      } catch {
        // Already disconnected (or the server went away meanwhile): dropping the socket is all that is left.
        client.disconnect();
      }
    },
  };
}

/**
 * Keeps an 'error' listener on the client for its whole life (without one, Node turns a lost connection into
 * an uncaught exception) and reports a lost connection once per outage rather than once per reconnect attempt.
 */
function watchConnection(client: Redis, target: string, options: RedisConnectionOptions): void {
  let wasReady = false;
  let lost = false;
  let lastError: Error | undefined;
  client.on('ready', () => {
    if (lost) options.onConnectionRestored?.();
    wasReady = true;
    lost = false;
    lastError = undefined;
  });
  client.on('error', (error: Error) => {
    lastError = error;
  });
  // 'reconnecting' comes after every unplanned close (a server that closes the socket cleanly emits no
  // 'error'), and never after `close()`, so it marks the start of an outage.
  client.on('reconnecting', () => {
    if (!wasReady || lost) return;
    lost = true;
    options.onConnectionLost?.(new Error(`Redis at ${target}: ${lastError?.message ?? 'connection closed'}`));
  });
}

function untilReady(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      client.off('error', onError);
      resolve();
    };
    const onError = (error: Error) => {
      client.off('ready', onReady);
      reject(error);
    };
    client.once('ready', onReady);
    client.once('error', onError);
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
