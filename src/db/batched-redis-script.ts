import type { Redis } from 'ioredis';
import { RedisScript, type LuaScript } from './redis-script.js';

/** Most calls one `EVALSHA` carries; more go in further scripts of the same flush (keeps one script run short). */
const maximumBatch = 128;

/** How long a deferred call may wait for company before it is sent on its own. */
const defaultDeferMs = 10;

interface PendingCall {
  /** Which registered script (its position in the batch's wrapper). */
  script: number;
  keys: ReadonlyArray<string>;
  args: ReadonlyArray<string | number>;
  resolve(reply: unknown): void;
  reject(error: unknown): void;
}

interface Queue {
  calls: PendingCall[];
  /** A flush on the next `setImmediate` is scheduled (an undeferred call is waiting). */
  immediate: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * Scripts whose calls travel together: every call made in one turn of the event loop (all the requests whose
 * bytes arrived in the same poll phase), of any script of the batch, goes to Redis as ONE `EVALSHA` of a
 * wrapper that runs each call's script in order and returns one reply per call.
 *
 * Why: a lone Redis command costs the gateway about 80-100 microseconds of CPU on a small VM (command object,
 * encoding, a socket write, parsing), more than its own per-request work. The rate limiter's and the budget
 * ledger's scripts share one batch, so a request's admission (limits, concurrency slots, budget reservation)
 * is one command, and its settlement (budget, token usage, slot release) is another, or none at all:
 * settlement calls are *deferred*, sent with the next batch or after at most `deferMs`, so under steady
 * traffic they ride along with the next request's admission.
 *
 * Each call keeps its meaning: it runs atomically and sees every call queued before it (the wrapper is itself
 * one atomic script, and calls run in arrival order, deferred ones included). A call that returns
 * `redis.error_reply(...)` fails alone; an error raised by one call (`error()`, a failing `redis.call`) aborts
 * the script and fails every call of its batch. All keys of a batch go in one script, so on Redis Cluster they
 * must share a slot: keep one hash tag in the stores' key prefixes (the composition root does).
 */
export class RedisScriptBatch {
  private readonly sources: string[] = [];
  private wrapper: RedisScript | undefined;
  private readonly queues = new WeakMap<Redis, Queue>();

  constructor(private readonly deferMs = defaultDeferMs) {}

  /**
   * Adds a script to the batch. Its source is wrapped as `function (KEYS, ARGV) ... end`, so it must refer to
   * its keys and arguments only through `KEYS` and `ARGV` and must return a non-nil value.
   */
  register(source: string): BatchedRedisScript {
    this.sources.push(source);
    // A script added after the first call changes the wrapper (and its SHA): build it again when next needed.
    this.wrapper = undefined;
    return new BatchedRedisScript(this, this.sources.length - 1, source);
  }

  /** Queues a call; undeferred calls are sent on the next `setImmediate`, deferred ones within `deferMs`. */
  call(redis: Redis, script: number, keys: ReadonlyArray<string>, args: ReadonlyArray<string | number>, deferred: boolean): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(redis);
      if (queue === undefined) {
        queue = { calls: [], immediate: false };
        this.queues.set(redis, queue);
      }
      queue.calls.push({ script, keys, args, resolve, reject });
      if (!deferred && !queue.immediate) {
        queue.immediate = true;
        setImmediate(() => void this.flush(redis));
      } else if (deferred && !queue.immediate && queue.timer === undefined) {
        queue.timer = setTimeout(() => void this.flush(redis), this.deferMs);
      }
    });
  }

  /** Sends everything queued for this connection now (before it closes); resolves once Redis has answered. */
  async flush(redis: Redis): Promise<void> {
    const queue = this.queues.get(redis);
    this.queues.delete(redis);
    if (queue === undefined) return;
    if (queue.timer !== undefined) clearTimeout(queue.timer);
    const sends: Array<Promise<void>> = [];
    for (let start = 0; start < queue.calls.length; start += maximumBatch) sends.push(this.send(redis, queue.calls.slice(start, start + maximumBatch)));
    await Promise.all(sends);
  }

  private send(redis: Redis, calls: PendingCall[]): Promise<void> {
    const keys: string[] = [];
    const args: Array<string | number> = [calls.length];
    for (const call of calls) {
      args.push(call.script + 1, call.keys.length, call.args.length);
      for (const key of call.keys) keys.push(key);
    }
    for (const call of calls) for (const arg of call.args) args.push(arg);
    this.wrapper ??= new RedisScript(wrapperOf(this.sources));
    return this.wrapper.run(redis, keys, args).then(
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

/** One script of a {@link RedisScriptBatch}. */
export class BatchedRedisScript implements LuaScript {
  constructor(
    private readonly batch: RedisScriptBatch,
    private readonly index: number,
    readonly source: string,
  ) {}

  /** Runs the script with these keys and arguments, batched with the other calls of this turn. */
  run(redis: Redis, keys: ReadonlyArray<string>, args: ReadonlyArray<string | number>): Promise<unknown> {
    return this.batch.call(redis, this.index, keys, args, false);
  }

  /**
   * Runs the script with the next batch that goes out for another reason, or within the batch's `deferMs`:
   * for calls nobody waits on (settling after the answer was sent), so they cost no command of their own.
   */
  runDeferred(redis: Redis, keys: ReadonlyArray<string>, args: ReadonlyArray<string | number>): Promise<unknown> {
    return this.batch.call(redis, this.index, keys, args, true);
  }
}

/**
 * The process's governance batch: the rate limiter's and the budget ledger's scripts register here, so their
 * calls share commands.
 */
export const governanceScriptBatch = new RedisScriptBatch();

/**
 * The wrapper: ARGV[1] = number of calls n, then per call its script's number, key count and argument count,
 * then every call's arguments in order; KEYS = every call's keys in order. Returns one reply per call.
 */
function wrapperOf(sources: readonly string[]): string {
  const bodies = sources.map((source, index) => `bodies[${index + 1}] = function(KEYS, ARGV)\n${source}\nend`).join('\n');
  return `local bodies = {}
${bodies}
local calls = tonumber(ARGV[1])
local replies = {}
local key_at, arg_at = 1, 2 + calls * 3
for call = 1, calls do
  local at = call * 3 - 1
  local body, key_count, arg_count = bodies[tonumber(ARGV[at])], tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
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
