import { governanceScriptBatch } from '../../db/batched-redis-script.js';
import { RedisScript } from '../../db/redis-script.js';

/**
 * The Lua scripts of the Redis budget ledger. Each budget and period has four keys, passed in this order:
 * the counter hash {spent, reserved, t:<threshold> markers}, the open reservations (hash id -> amount), their
 * leases (sorted set id -> expiry in epoch ms), and reservations released by an expired lease but not settled
 * yet (set). Amounts reach Redis as decimal strings and go back with %d, never through Lua's %.14g number
 * formatting, which would turn 10^15 into "1e+15" and make HINCRBY fail.
 */
export const keysPerBudget = 4;

const prelude = `
local function int(value) return string.format('%d', value) end

-- Releases reservations whose lease ended (their replica is presumed dead) and remembers them as expired,
-- so a settlement that still arrives is counted once.
local function release_expired(base, now)
  local counter, held, leases, expired = KEYS[base], KEYS[base + 1], KEYS[base + 2], KEYS[base + 3]
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', leases, '-inf', now)) do
    local amount = redis.call('HGET', held, id)
    if amount then
      redis.call('HINCRBY', counter, 'reserved', int(-tonumber(amount)))
      redis.call('HDEL', held, id)
      redis.call('SADD', expired, id)
    end
    redis.call('ZREM', leases, id)
  end
end

local function figures(base)
  local values = redis.call('HMGET', KEYS[base], 'spent', 'reserved')
  return tonumber(values[1] or '0'), tonumber(values[2] or '0')
end

local function keep(base, ttl)
  for offset = 0, 3 do redis.call('PEXPIRE', KEYS[base + offset], ttl) end
end

-- With a loader, a counter is only ever created by the seed script: report the budgets that have none.
local function missing_counters(require_seed)
  local missing = {}
  if require_seed == '1' then
    for index = 1, #KEYS / 4 do
      if redis.call('EXISTS', KEYS[(index - 1) * 4 + 1]) == 0 then missing[#missing + 1] = index end
    end
  end
  return missing
end
`;

/**
 * Reserve, all or nothing. ARGV: now, amount, reservation id, lease expiry, require seed (0/1), then per
 * budget: limit, counter ttl (ms). Returns {'seed', indexes} | {'refused', index, figures} |
 * {'admitted', 0, figures}, figures being spent and reserved per budget, flat.
 */
export const reserveScript = governanceScriptBatch.register(`${prelude}
local now, amount, id, lease = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local missing = missing_counters(ARGV[5])
if #missing > 0 then return {'seed', missing} end
local count = #KEYS / 4
local flat, refused = {}, 0
for index = 1, count do
  local base = (index - 1) * 4 + 1
  release_expired(base, now)
  local spent, reserved = figures(base)
  flat[#flat + 1] = spent
  flat[#flat + 1] = reserved
  if refused == 0 and spent + reserved + amount > tonumber(ARGV[6 + (index - 1) * 2]) then refused = index end
end
if refused > 0 then return {'refused', refused, flat} end
for index = 1, count do
  local base = (index - 1) * 4 + 1
  redis.call('HSETNX', KEYS[base], 'spent', '0')
  flat[index * 2] = redis.call('HINCRBY', KEYS[base], 'reserved', ARGV[2])
  redis.call('HSET', KEYS[base + 1], id, ARGV[2])
  redis.call('ZADD', KEYS[base + 2], lease, id)
  keep(base, ARGV[7 + (index - 1) * 2])
end
return {'admitted', 0, flat}
`);

/**
 * Settle, once. ARGV: now, reservation id, actual, require seed (0/1), then per hold: limit ('' when the
 * budget is no longer defined), counter ttl (ms), thresholds as a comma-separated list. Returns the
 * crossings, flat: hold index, threshold, spent after.
 */
export const settleScript = governanceScriptBatch.register(`${prelude}
local now, id, actual, require_seed = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local crossings = {}
for index = 1, #KEYS / 4 do
  local base = (index - 1) * 4 + 1
  local limit, ttl, thresholds = ARGV[5 + (index - 1) * 3], ARGV[6 + (index - 1) * 3], ARGV[7 + (index - 1) * 3]
  release_expired(base, now)
  local counted = false
  local amount = redis.call('HGET', KEYS[base + 1], id)
  if amount then
    redis.call('HDEL', KEYS[base + 1], id)
    redis.call('ZREM', KEYS[base + 2], id)
    redis.call('HINCRBY', KEYS[base], 'reserved', int(-tonumber(amount)))
    counted = true
  elseif redis.call('SREM', KEYS[base + 3], id) == 1 then
    counted = true
  end
  -- A counter that vanished (Redis flushed) is left for the loader to seed: it reads the usage ledger,
  -- which holds this request too, so adding it here would count it twice.
  if counted and (require_seed == '0' or redis.call('EXISTS', KEYS[base]) == 1) then
    local spent = redis.call('HINCRBY', KEYS[base], 'spent', actual)
    keep(base, ttl)
    if limit ~= '' then
      for threshold in string.gmatch(thresholds, '%d+') do
        if spent * 100 >= tonumber(threshold) * tonumber(limit) and redis.call('HSETNX', KEYS[base], 't:' .. threshold, '1') == 1 then
          crossings[#crossings + 1] = index
          crossings[#crossings + 1] = tonumber(threshold)
          crossings[#crossings + 1] = spent
        end
      end
    end
  end
end
return crossings
`);

/**
 * The current figures. ARGV: now, require seed (0/1). Returns {'seed', indexes} | {'states', 0, figures}.
 */
export const statesScript = governanceScriptBatch.register(`${prelude}
local missing = missing_counters(ARGV[2])
if #missing > 0 then return {'seed', missing} end
local flat = {}
for index = 1, #KEYS / 4 do
  local base = (index - 1) * 4 + 1
  release_expired(base, ARGV[1])
  local spent, reserved = figures(base)
  flat[#flat + 1] = spent
  flat[#flat + 1] = reserved
end
return {'states', 0, flat}
`);

/**
 * Creates counters that do not exist yet (set-if-absent: when two replicas seed at once, the second finds
 * the counter and leaves it). Thresholds the seeded spend already meets are marked reported. KEYS: one
 * counter per budget. ARGV per budget: spent, limit, counter ttl (ms), thresholds comma-separated.
 */
export const seedScript = new RedisScript(`
for index = 1, #KEYS do
  local spent, limit, ttl, thresholds = ARGV[(index - 1) * 4 + 1], ARGV[(index - 1) * 4 + 2], ARGV[(index - 1) * 4 + 3], ARGV[(index - 1) * 4 + 4]
  if redis.call('HSETNX', KEYS[index], 'spent', spent) == 1 then
    redis.call('HSETNX', KEYS[index], 'reserved', '0')
    for threshold in string.gmatch(thresholds, '%d+') do
      if tonumber(spent) * 100 >= tonumber(threshold) * tonumber(limit) then
        redis.call('HSET', KEYS[index], 't:' .. threshold, '1')
      end
    end
    redis.call('PEXPIRE', KEYS[index], ttl)
  end
end
return 0
`);
