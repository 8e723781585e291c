import type { Redis } from 'ioredis';
import { RedisScript, type LuaScript } from './redis-script.js';

/** Most calls one `EVALSHA` carries; more wait for the next batch (keeps one script run short). */
const maximumBatch = 128;

interface PendingCall {
  keys: ReadonlyArray<string>;
  args: ReadonlyArray<string | number>;
  resolve(reply: unknown): void;
  reject(error: unknown): void;
}

/**
 * A Lua script whose calls are gathered and sent together: every call made in one turn of the event loop
 * (all the requests whose bytes arrived in the same poll phase) goes to Redis as ONE `EVALSHA` of a wrapper
 * that runs the script once per call, in order, and returns one reply per call.
 *
 * Why: on the governed request path each request ran two to four scripts, and at a few thousand requests a
 * second the client's per-command work (encoding, a write per pipeline, parsing) cost more CPU than the
 * gateway's own work. Batching keeps each call's meaning (each call runs atomically, in arrival order, and
 * sees every call before it: the wrapper is itself one atomic script) and adds no delay when idle: a lone
 * call goes out on the next `setImmediate`.
 *
 * The script's source is wrapped as `local function body(KEYS, ARGV) ... end`, so it must refer to its keys
 * and arguments only through `KEYS` and `ARGV` (which the wrapper shadows per call) and must return a
 * non-nil value. A call that returns `redis.error_reply(...)` fails alone; an error raised by one call
 * (`error()`, a failing `redis.call`) aborts the script and fails every call of its batch.
 * All keys of a batch go in one script, so on Redis Cluster they must share a slot: keep a hash tag in the
 * key prefix (the stores that use this say so).
 */
export class BatchedRedisScript implements LuaScript {
  private readonly wrapped: RedisScript;
  private readonly queues = new WeakMap<Redis, PendingCall[]>();

  constructor(readonly source: string) {
    this.wrapped = new RedisScript(wrapperOf(source));
  }

  /** Runs the script with these keys and arguments, batched with the other calls of this turn. */
  run(redis: Redis, keys: ReadonlyArray<string>, args: ReadonlyArray<string | number>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(redis);
      if (queue === undefined) {
        queue = [];
        this.queues.set(redis, queue);
        setImmediate(() => this.flush(redis));
      }
      queue.push({ keys, args, resolve, reject });
    });
  }

  private flush(redis: Redis): void {
    const queue = this.queues.get(redis);
    this.queues.delete(redis);
    if (queue === undefined) return;
    for (let start = 0; start < queue.length; start += maximumBatch) this.send(redis, queue.slice(start, start + maximumBatch));
  }

  private send(redis: Redis, calls: PendingCall[]): void {
    const keys: string[] = [];
    const args: Array<string | number> = [calls.length];
    for (const call of calls) {
      args.push(call.keys.length, call.args.length);
      for (const key of call.keys) keys.push(key);
    }
    for (const call of calls) for (const arg of call.args) args.push(arg);
    this.wrapped.run(redis, keys, args).then(
      (replies) => {
        const list = replies as unknown[];
        // A call that returned `redis.error_reply(...)` gets its error; the others their replies.
        calls.forEach((call, index) => (list[index] instanceof Error ? call.reject(list[index]) : call.resolve(list[index])));
      },
      (error: unknown) => {
        for (const call of calls) call.reject(error);
      },
    );
  }
}

/**
 * The wrapper: ARGV[1] = number of calls n, then per call its key count and argument count, then every
 * call's arguments in order; KEYS = every call's keys in order. Returns one reply per call.
 */
function wrapperOf(source: string): string {
  return `local function body(KEYS, ARGV)
${source}
end
local calls = tonumber(ARGV[1])
local replies = {}
local key_at, arg_at = 1, 2 + calls * 2
for call = 1, calls do
  local key_count, arg_count = tonumber(ARGV[call * 2]), tonumber(ARGV[call * 2 + 1])
  local keys, args = {}, {}
  for index = 1, key_count do keys[index] = KEYS[key_at + index - 1] end
  for index = 1, arg_count do args[index] = ARGV[arg_at + index - 1] end
  key_at = key_at + key_count
  arg_at = arg_at + arg_count
  replies[call] = body(keys, args)
end
return replies
`;
}
