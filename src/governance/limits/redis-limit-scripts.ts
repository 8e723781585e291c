/**
 * The Lua scripts of the Redis rate limiter, one per operation. Each runs atomically on the Redis server, so
 * every replica sees one order of events. The arithmetic is the in-process limiter's (memory-counters.ts),
 * line for line; the shared contract suite holds both to the same answers.
 *
 * Counter arguments of `consume` and `record`: ARGV[1] = now (ms), ARGV[2] = number of counters n, then per
 * counter four values: algorithm (`token-bucket` | `sliding-window`), limit, windowMs, cost. KEYS holds two
 * keys per counter: the state (token bucket hash, or sliding window log: a sorted set of
 * `time:sequence:units` members scored by time) and, for a sliding window, a hash with the running total
 * (`used`) and the member sequence.
 */

// Shared by consume and record: reads each counter and brings it up to `now`.
const loadCounters = `
local tolerance = 1e-6
local margin = 1000
local now = tonumber(ARGV[1])
local count = tonumber(ARGV[2])

-- 17 significant digits keep a double exact through its string form (Lua's default keeps 14).
local function exact(value) return string.format('%.17g', value) end

local function unitsOf(member)
  return tonumber(string.match(member, ':([^:]*)$'))
end

local counters = {}
for index = 1, count do
  local base = 2 + (index - 1) * 4
  local counter = {
    algorithm = ARGV[base + 1],
    limit = tonumber(ARGV[base + 2]),
    window = tonumber(ARGV[base + 3]),
    cost = tonumber(ARGV[base + 4]),
    key = KEYS[(index - 1) * 2 + 1],
    meta = KEYS[(index - 1) * 2 + 2],
  }
  if counter.algorithm == 'token-bucket' then
    local stored = redis.call('HMGET', counter.key, 'tokens', 'updated')
    local tokens = tonumber(stored[1])
    local updated = tonumber(stored[2])
    if tokens == nil or updated == nil then
      tokens = counter.limit
      updated = now
    end
    counter.tokens = math.min(counter.limit, tokens + math.max(0, now - updated) * counter.limit / counter.window)
    counter.updated = math.max(updated, now)
  else
    local horizon = now - counter.window
    local expired = redis.call('ZRANGEBYSCORE', counter.key, '-inf', exact(horizon))
    local used = tonumber(redis.call('HGET', counter.meta, 'used'))
    if #expired > 0 then redis.call('ZREMRANGEBYSCORE', counter.key, '-inf', exact(horizon)) end
    if redis.call('EXISTS', counter.key) == 0 then
      -- An empty log is the whole truth: a total left without it is stale.
      if used ~= nil then redis.call('DEL', counter.meta) end
      used = 0
    elseif used == nil then
      -- The total is gone (or never was): sum the live log instead.
      used = 0
      for _, member in ipairs(redis.call('ZRANGE', counter.key, 0, -1)) do used = used + unitsOf(member) end
      -- Members carry their time, so a restarted sequence cannot make a new member equal an old one.
      redis.call('HSET', counter.meta, 'used', exact(used), 'sequence', redis.call('ZCARD', counter.key))
      redis.call('PEXPIRE', counter.meta, counter.window + margin)
    elseif #expired > 0 then
      for _, member in ipairs(expired) do used = used - unitsOf(member) end
      redis.call('HSET', counter.meta, 'used', exact(used))
      redis.call('PEXPIRE', counter.meta, counter.window + margin)
    end
    counter.used = used
  end
  counters[index] = counter
end

-- Milliseconds until the counter is back to its fresh state (full bucket, empty window).
local function idleAfter(counter)
  if counter.algorithm == 'token-bucket' then
    if counter.tokens + tolerance >= counter.limit then return 0 end
    return math.ceil((counter.limit - counter.tokens) * counter.window / counter.limit - tolerance)
  end
  local newest = redis.call('ZRANGE', counter.key, -1, -1, 'WITHSCORES')
  if #newest == 0 then return 0 end
  return math.max(0, tonumber(newest[2]) + counter.window - now)
end

-- Milliseconds until \`units\` (at most the limit) fit; 0 when they fit now.
local function waitFor(counter, units)
  if counter.algorithm == 'token-bucket' then
    if counter.tokens + tolerance >= units then return 0 end
    return math.max(1, math.ceil((units - counter.tokens) * counter.window / counter.limit - tolerance))
  end
  local excess = counter.used + units - counter.limit
  if excess <= 0 then return 0 end
  local freed = 0
  local offset = 0
  while true do
    local page = redis.call('ZRANGEBYSCORE', counter.key, '(' .. exact(now - counter.window), '+inf', 'WITHSCORES', 'LIMIT', offset, 128)
    if #page == 0 then break end
    for position = 1, #page, 2 do
      freed = freed + unitsOf(page[position])
      if freed >= excess then return math.max(1, tonumber(page[position + 1]) + counter.window - now) end
    end
    offset = offset + 128
  end
  return math.max(1, idleAfter(counter))
end

-- Takes units (past the limit when recording) and sets the TTLs that let idle counters disappear.
local function take(counter, units)
  if units <= 0 then return end
  if counter.algorithm == 'token-bucket' then
    counter.tokens = counter.tokens - units
    redis.call('HSET', counter.key, 'tokens', exact(counter.tokens), 'updated', exact(counter.updated))
    redis.call('PEXPIRE', counter.key, idleAfter(counter) + margin)
  else
    local sequence = redis.call('HINCRBY', counter.meta, 'sequence', 1)
    redis.call('ZADD', counter.key, exact(now), exact(now) .. ':' .. sequence .. ':' .. exact(units))
    counter.used = counter.used + units
    redis.call('HSET', counter.meta, 'used', exact(counter.used))
    redis.call('PEXPIRE', counter.key, counter.window + margin)
    redis.call('PEXPIRE', counter.meta, counter.window + margin)
  end
end
`;

/**
 * Admits all counters or none. Returns `[allowed (0|1), first refusing counter (1-based, 0 when admitted),
 * retryAfterMs, then remaining and resetMs per counter]`.
 */
export const consumeScript = `${loadCounters}
local refused = 0
local retryAfter = 0
for index, counter in ipairs(counters) do
  local needed = math.max(counter.cost, 1)
  local fits
  if needed > counter.limit then
    fits = false
  elseif counter.algorithm == 'token-bucket' then
    fits = counter.tokens + tolerance >= needed
  else
    fits = counter.used + needed <= counter.limit
  end
  if not fits then
    if refused == 0 then refused = index end
    local wait
    if needed > counter.limit then
      wait = math.max(counter.window, idleAfter(counter))
    else
      wait = waitFor(counter, needed)
    end
    retryAfter = math.max(retryAfter, wait)
  end
end
if refused == 0 then
  for _, counter in ipairs(counters) do take(counter, counter.cost) end
end
local result = { refused == 0 and 1 or 0, refused, retryAfter }
for _, counter in ipairs(counters) do
  local remaining
  if counter.algorithm == 'token-bucket' then
    remaining = math.max(0, math.floor(counter.tokens + tolerance))
  else
    remaining = math.max(0, math.floor(counter.limit - counter.used))
  end
  table.insert(result, remaining)
  table.insert(result, waitFor(counter, 1))
end
return result
`;

/** Takes every cost without refusing. Returns nothing. */
export const recordScript = `${loadCounters}
for _, counter in ipairs(counters) do take(counter, counter.cost) end
return 0
`;

/**
 * Takes a concurrency slot. KEYS[1] = the slots (a sorted set of lease ids scored by expiry); ARGV = now,
 * limit, leaseMs, lease id. Returns `[allowed (0|1), in flight]`.
 */
export const acquireScript = `
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local leaseMs = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.17g', now))
local held = redis.call('ZCARD', KEYS[1])
if held >= limit then return { 0, held } end
redis.call('ZADD', KEYS[1], string.format('%.17g', now + leaseMs), ARGV[4])
-- The set lives as long as its longest lease, and no longer once that has expired.
if redis.call('PTTL', KEYS[1]) < leaseMs + 1000 then redis.call('PEXPIRE', KEYS[1], leaseMs + 1000) end
return { 1, held + 1 }
`;

/** Frees a slot (a no-op for a lease already released or expired). KEYS[1] = the slots; ARGV[1] = lease id. */
export const releaseScript = `
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1]) end
return removed
`;

/**
 * Takes a lease on sliding-window counters: `cost` units of each, all or none, logged as ONE member per
 * counter scored at the lease's end (`until`), so the units count in the window at least as long as any unit
 * of the lease that is used before then. Counter arguments as for `consume`, then ARGV: until, lease id.
 * Returns `[granted (0|1), then remaining per counter]`.
 */
export const leaseScript = `${loadCounters}
local untilMs = tonumber(ARGV[3 + count * 4])
local leaseId = ARGV[4 + count * 4]
local granted = 1
for _, counter in ipairs(counters) do
  if counter.algorithm ~= 'sliding-window' or counter.cost < 1 or counter.used + counter.cost > counter.limit then granted = 0 end
end
if granted == 1 then
  for _, counter in ipairs(counters) do
    redis.call('ZADD', counter.key, exact(untilMs), exact(untilMs) .. ':lease-' .. leaseId .. ':' .. exact(counter.cost))
    counter.used = counter.used + counter.cost
    redis.call('HSET', counter.meta, 'used', exact(counter.used))
    local ttl = math.max(0, untilMs - now) + counter.window + margin
    if redis.call('PTTL', counter.key) < ttl then redis.call('PEXPIRE', counter.key, ttl) end
    if redis.call('PTTL', counter.meta) < ttl then redis.call('PEXPIRE', counter.meta, ttl) end
  end
end
local result = { granted }
for _, counter in ipairs(counters) do table.insert(result, math.max(0, math.floor(counter.limit - counter.used))) end
return result
`;

/**
 * Ends a lease: removes its member from each counter and logs the units really used, at `now` (no earlier
 * than any use). ARGV: now, number of counters n, until, lease id, then per counter: window, units granted,
 * units used. KEYS as for `consume`. A member already gone (the counter was lost) is not subtracted again.
 */
export const returnLeaseScript = `
local margin = 1000
local now = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local untilMs = tonumber(ARGV[3])
local leaseId = ARGV[4]
local function exact(value) return string.format('%.17g', value) end
for index = 1, count do
  local key, meta = KEYS[(index - 1) * 2 + 1], KEYS[(index - 1) * 2 + 2]
  local base = 4 + (index - 1) * 3
  local window, granted, usedUnits = tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3])
  local total = tonumber(redis.call('HGET', meta, 'used'))
  local removed = redis.call('ZREM', key, exact(untilMs) .. ':lease-' .. leaseId .. ':' .. exact(granted))
  if removed == 1 and total ~= nil then total = total - granted end
  if usedUnits > 0 then
    local sequence = redis.call('HINCRBY', meta, 'sequence', 1)
    redis.call('ZADD', key, exact(now), exact(now) .. ':' .. sequence .. ':' .. exact(usedUnits))
    if total ~= nil then total = total + usedUnits end
  end
  if total ~= nil then redis.call('HSET', meta, 'used', exact(total)) end
  local ttl = window + margin
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
  if redis.call('PTTL', meta) < ttl then redis.call('PEXPIRE', meta, ttl) end
end
return 0
`;
