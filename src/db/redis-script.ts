import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Something that runs a Lua script with keys and arguments: {@link RedisScript}, or a batched one. */
export interface LuaScript {
  run(redis: Redis, keys: ReadonlyArray<string>, args: ReadonlyArray<string | number>): Promise<unknown>;
}

/**
 * A Lua script run by its SHA-1 (`EVALSHA`), so the source crosses the wire only when the server does not
 * know it yet: on `NOSCRIPT` (first use, a restarted or flushed server, a failover) it is loaded once with
 * `SCRIPT LOAD` and the call is repeated.
 */
export class RedisScript implements LuaScript {
  readonly sha: string;
  private loading: Promise<unknown> | undefined;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: ReadonlyArray<string>, args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScriptError(error)) throw error;
      // Concurrent callers that all hit NOSCRIPT share one load.
      this.loading ??= redis.script('LOAD', this.source).finally(() => {
        this.loading = undefined;
      });
      await this.loading;
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    }
  }
}

function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
