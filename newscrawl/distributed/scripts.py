"""The Lua scripts: each coordination step is one atomic round trip (Redis 7.0: EVALSHA, TIME)."""

# Milliseconds on the Redis clock: every worker's leases and rate budget use the same clock.
_NOW = "local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"

# The placeholder id of an ids crawl's request template (frontier HASH): the pop writes each id in its place.
PLACEHOLDER = "8642097531864"

# Lua: a template (request or fingerprint text) with the id in the placeholder's place; true when a
# seeding's spans named the id (the covered ZSET's ranges).
_FILL = """
local function fill(template, id) return (string.gsub(template, '""" + PLACEHOLDER + """', id)) end
local function covered(covered_key, id)
  local c = redis.call('ZREVRANGEBYSCORE', covered_key, id, '-inf', 'LIMIT', 0, 1)
  return #c == 1 and tonumber(string.sub(c[1], string.find(c[1], ':', 1, true) + 1)) >= tonumber(id)
end
"""

# KEYS dupefilter pending data score seq covered frontier; ARGV fingerprint ('' = dont_filter), score,
# request JSON, the article's id ('' for none). Seen-and-queued in one step: a crash cannot leave a
# request marked seen but never queued. The article request of an id that a seeding's spans named
# (the same request: its fingerprint is the template's) is seen too.
PUSH = _FILL + """
if ARGV[1] ~= '' and ARGV[4] and ARGV[4] ~= '' then
  local fingerprint = redis.call('HGET', KEYS[7], 'fingerprint')
  if fingerprint and fingerprint ~= '' and redis.sha1hex(fill(fingerprint, ARGV[4])) == ARGV[1]
     and covered(KEYS[6], ARGV[4]) then
    return 0
  end
end
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
local id = string.format('%012d', redis.call('INCR', KEYS[5]))
redis.call('HSET', KEYS[3], id, ARGV[3])
redis.call('HSET', KEYS[4], id, ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], id)
return 1
"""

# KEYS spans covered frontier; ARGV request template, its fingerprint's template ('' for none), score,
# then (first, last) per id range. An ids crawl's seeding: the ids no earlier seeding named go to the
# spans (in the order given), the ranges to the covered ones (merged); how many ids were new, or -1
# when the crawl's template is another (its ids were seeded for another host: seed --fresh).
SEED_SPANS = """
local old = redis.call('HGET', KEYS[3], 'template')
if old and old ~= ARGV[1] then return -1 end
redis.call('HSET', KEYS[3], 'template', ARGV[1], 'fingerprint', ARGV[2], 'score', ARGV[3])
local function fmt(n) return string.format('%d', n) end
local added = 0
for i = 4, #ARGV, 2 do
  local first, last = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  local near = redis.call('ZREVRANGEBYSCORE', KEYS[2], first, '-inf', 'LIMIT', 0, 1)
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. fmt(first), fmt(last + 1))) do near[#near + 1] = m end
  local next_, low, high = first, first, last
  for _, m in ipairs(near) do
    local colon = string.find(m, ':', 1, true)
    local lo, hi = tonumber(string.sub(m, 1, colon - 1)), tonumber(string.sub(m, colon + 1))
    if hi >= first - 1 then
      if lo > next_ then
        redis.call('RPUSH', KEYS[1], fmt(next_) .. ' ' .. fmt(lo - 1)); added = added + lo - next_
      end
      if hi + 1 > next_ then next_ = hi + 1 end
      if lo < low then low = lo end
      if hi > high then high = hi end
      redis.call('ZREM', KEYS[2], m)
    end
  end
  if next_ <= last then
    redis.call('RPUSH', KEYS[1], fmt(next_) .. ' ' .. fmt(last)); added = added + last - next_ + 1
  end
  redis.call('ZADD', KEYS[2], low, fmt(low) .. ':' .. fmt(high))
end
redis.call('HINCRBY', KEYS[3], 'left', added)
return added
"""

# KEYS pending lease data score attempts dead dead_error owner counters spans frontier seq dupefilter
# articles bad (the last two: the crawl's state); ARGV visibility ms, max attempts, worker, how many,
# skip known (1|0), site, bad pages tried after this are known (epoch s), most ids looked at.
# First the leases that expired (their worker died or hung) go back to pending, or to the dead
# letters after too many; then, when fewer than how many are pending before the spans' requests
# (same priority: FIFO), the next ids of the spans become requests (the template with the id in it),
# leaving out those the state knows (skip known: written, or a bad page tried lately) and those
# the seen-set holds; then the first pending requests (up to how many) are leased to this worker:
# {ids skipped as known, id, request JSON, id, request JSON, ...}. Taking ids from the spans and
# leasing them is one atomic step: an id is never lost between the two, nor leased twice.
POP = _NOW + _FILL + """
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[2], id)
  redis.call('HDEL', KEYS[8], id)
  local n = redis.call('HINCRBY', KEYS[5], id, 1)
  local score = redis.call('HGET', KEYS[4], id)
  if n >= tonumber(ARGV[2]) then
    redis.call('ZADD', KEYS[6], now, id)
    redis.call('HSET', KEYS[7], id, 'lease expired ' .. n .. ' times (its workers died or hung on it)')
    redis.call('HINCRBY', KEYS[9], 'dead', 1)
  elseif score then
    redis.call('ZADD', KEYS[1], score, id)
    redis.call('HINCRBY', KEYS[9], 'redelivered', 1)
  end
end
local skipped = 0
if redis.call('LLEN', KEYS[10]) > 0 then
  local f = redis.call('HMGET', KEYS[11], 'template', 'score', 'fingerprint')
  local template, tscore, fingerprint = f[1], f[2], f[3]
  local need = tonumber(ARGV[4]) - redis.call('ZCOUNT', KEYS[1], '-inf', tscore)
  local most, looked = tonumber(ARGV[8]), 0
  local recent = tonumber(ARGV[7])
  local filtered = fingerprint and fingerprint ~= '' and redis.call('SCARD', KEYS[13]) > 0  -- else nothing to look up
  while need > 0 and looked < most do
    local head = redis.call('LINDEX', KEYS[10], 0)
    if not head then break end
    local space = string.find(head, ' ', 1, true)
    local id, last = tonumber(string.sub(head, 1, space - 1)), tonumber(string.sub(head, space + 1))
    while id <= last and need > 0 and looked < most do
      looked = looked + 1
      local text = string.format('%d', id)
      local seen = filtered and redis.call('SISMEMBER', KEYS[13], redis.sha1hex(fill(fingerprint, text))) == 1
      if not seen and ARGV[5] == '1' then
        local field = ARGV[6] .. ':' .. text
        local bad = redis.call('HGET', KEYS[15], field)
        if redis.call('HEXISTS', KEYS[14], field) == 1 or (bad and cjson.decode(bad)['tried'] > recent) then
          seen = true; skipped = skipped + 1
        end
      end
      if not seen then
        local lid = string.format('%012d', redis.call('INCR', KEYS[12]))
        redis.call('HSET', KEYS[3], lid, fill(template, text))
        redis.call('HSET', KEYS[4], lid, tscore)
        redis.call('ZADD', KEYS[1], tscore, lid)
        need = need - 1
      end
      id = id + 1
    end
    if id > last then redis.call('LPOP', KEYS[10])
    else redis.call('LSET', KEYS[10], 0, string.format('%d', id) .. ' ' .. string.format('%d', last)) end
  end
  if looked > 0 then redis.call('HINCRBY', KEYS[11], 'left', -looked) end
  if skipped > 0 then redis.call('HINCRBY', KEYS[9], 'skipped_known', skipped) end
end
local popped = redis.call('ZPOPMIN', KEYS[1], tonumber(ARGV[4]))
local leased = {skipped}
for j = 1, #popped, 2 do
  local id = popped[j]
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), id)
  redis.call('HSET', KEYS[8], id, ARGV[3])
  leased[#leased + 1] = id
  leased[#leased + 1] = redis.call('HGET', KEYS[3], id)
end
return leased
"""

# KEYS lease pending data score attempts dead dead_error owner counters workers alive;
# ARGV visibility ms, worker, heartbeat JSON, n done, n dead, n requeue, then the done ids, the dead
# (id, error) pairs, the requeue ids, and the live ids.
# One heartbeat: confirm what is finished, dead-letter what failed for good, put back what must be
# tried later, extend the leases still held, and say this worker lives.
HEARTBEAT = _NOW + """
local vt = tonumber(ARGV[1]); local worker = ARGV[2]
local n_done, n_dead, n_requeue = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local i = 7
local done = 0
for _ = 1, n_done do
  local id = ARGV[i]; i = i + 1
  redis.call('ZREM', KEYS[1], id); redis.call('ZREM', KEYS[2], id)
  if redis.call('HDEL', KEYS[3], id) == 1 then done = done + 1 end
  redis.call('HDEL', KEYS[4], id); redis.call('HDEL', KEYS[5], id); redis.call('HDEL', KEYS[8], id)
end
if done > 0 then redis.call('HINCRBY', KEYS[9], 'done', done) end
for _ = 1, n_dead do
  local id, why = ARGV[i], ARGV[i + 1]; i = i + 2
  if redis.call('ZREM', KEYS[1], id) == 1 or redis.call('ZREM', KEYS[2], id) == 1 then
    redis.call('ZADD', KEYS[6], now, id); redis.call('HSET', KEYS[7], id, why)
    redis.call('HDEL', KEYS[8], id); redis.call('HINCRBY', KEYS[9], 'dead', 1)
  end
end
for _ = 1, n_requeue do
  local id = ARGV[i]; i = i + 1
  if redis.call('HGET', KEYS[8], id) == worker then
    redis.call('ZADD', KEYS[1], now + 5000, id); redis.call('HDEL', KEYS[8], id)
  end
end
for j = i, #ARGV do
  local id = ARGV[j]
  if redis.call('HGET', KEYS[8], id) == worker then redis.call('ZADD', KEYS[1], 'XX', 'GT', now + vt, id) end
end
redis.call('HSET', KEYS[10], worker, ARGV[3])
redis.call('SET', KEYS[11], now, 'PX', vt)
return now
"""

# KEYS workers alive:<dead> finalizing:<dead>; ARGV dead worker, its heartbeat as the survivor read it,
# survivor, lock ms. A survivor takes on a dead worker's files only while that worker's alive key is gone
# AND its heartbeat is still the one read (a worker that stops gracefully writes its last heartbeat
# before it deletes its alive key, so a stop between the read and this check is seen), and no other
# survivor has taken them: 1 if this one did.
TAKE_DEAD_WORKER = """
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
if not redis.call('SET', KEYS[3], ARGV[3], 'NX', 'PX', ARGV[4]) then return 0 end
return 1
"""

# KEYS workers; ARGV worker, its heartbeat as read, its new state. Written only over the heartbeat read:
# one that came meanwhile (the worker was only slow, not dead) is never overwritten.
SET_WORKER_IF_UNCHANGED = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
"""

# KEYS lease pending score owner; ARGV worker, ids. A worker that stops gracefully gives back the
# leases it still holds, at once, without counting an attempt.
RELEASE = """
local n = 0
for j = 2, #ARGV do
  local id = ARGV[j]
  if redis.call('HGET', KEYS[4], id) == ARGV[1] then
    redis.call('ZREM', KEYS[1], id); redis.call('HDEL', KEYS[4], id)
    local score = redis.call('HGET', KEYS[3], id)
    if score then redis.call('ZADD', KEYS[2], score, id); n = n + 1 end
  end
end
return n
"""

# KEYS dead pending score dead_error attempts; ARGV ids (none: all). Dead letters back to the queue.
REQUEUE_DEAD = """
local ids = {}
if #ARGV == 0 then ids = redis.call('ZRANGE', KEYS[1], 0, -1) else ids = ARGV end
local n = 0
for _, id in ipairs(ids) do
  if redis.call('ZREM', KEYS[1], id) == 1 then
    local score = redis.call('HGET', KEYS[3], id)
    if score then redis.call('ZADD', KEYS[2], score, id); n = n + 1 end
    redis.call('HDEL', KEYS[4], id); redis.call('HDEL', KEYS[5], id)
  end
end
return n
"""

# KEYS rate key, its back-off generation; ARGV interval ms (1000 / rate), burst. GCRA (as
# redis-cell's CL.THROTTLE) by booking: the request gets the next moment the budget allows and the
# budget is spent on it at once. Returns {ms to wait, back-off generation}: a request booked far
# ahead checks the generation before it goes, and books again if the host asked us to slow down.
GCRA = _NOW + """
local interval = tonumber(ARGV[1]); local tau = (tonumber(ARGV[2]) - 1) * interval
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local go = tat - tau
if go < now then go = now end
local new = tat + interval
redis.call('SET', KEYS[1], string.format('%d', new), 'PX', math.ceil(new - now + interval) + 60000)
return {math.ceil(go - now), tonumber(redis.call('GET', KEYS[2]) or 0)}
"""

# KEYS rate key, its back-off generation; ARGV delay ms, and optionally the crawl's back-off channel
# and the host. The host asked us to slow down (429/503, Retry-After): nobody's request goes before
# now + delay, and what was booked is booked again; every worker hears of it on the channel at once
# ("host generation"), so that one booked far ahead need not ask Redis before it goes.
BACKOFF = _NOW + """
local until_ = now + tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or 0)
if tat < until_ then
  redis.call('SET', KEYS[1], string.format('%d', until_), 'PX', tonumber(ARGV[1]) + 60000)
end
local generation = redis.call('INCR', KEYS[2])
if ARGV[2] then redis.call('PUBLISH', ARGV[2], ARGV[3] .. ' ' .. generation) end
return generation
"""

# KEYS claims claims_of_owner; ARGV field, owner, alive-key prefix. Returns {1|0, previous owner}:
# 1 when this owner may write the article now (no claim, its own, or its owner is dead).
CLAIM = """
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and current ~= ARGV[2] and redis.call('EXISTS', ARGV[3] .. current) == 1 then
  return {0, current}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
if current and current ~= ARGV[2] then return {1, current} end
return {1, ''}
"""

# KEYS articles last_seen claims claims_of_owner; ARGV field, owner, alive-key prefix, content hash
# of the item in a refresh run ('' otherwise), now. The written-articles pipeline's whole check in one
# round trip: the look at the state (a written article is not claimed: no write for it), the claim
# (as CLAIM), and the look again under the claim, which is the same look since the script is atomic.
# Returns {'written', hash} | {'unchanged', hash} (touched) | {'held', owner} |
# {'claimed', hash or '', dead owner whose claim it took over or ''}.
CLAIM_UNWRITTEN = """
local written = redis.call('HGET', KEYS[1], ARGV[1])
if written then
  if ARGV[4] == '' then return {'written', written} end
  if written == ARGV[4] then redis.call('HSET', KEYS[2], ARGV[1], ARGV[5]); return {'unchanged', written} end
end
local current = redis.call('HGET', KEYS[3], ARGV[1])
if current and current ~= ARGV[2] and redis.call('EXISTS', ARGV[3] .. current) == 1 then
  return {'held', current}
end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[1])
if current == ARGV[2] then current = '' end
return {'claimed', written or '', current or ''}
"""

# KEYS claims claims_of_owner; ARGV owner.
RELEASE_CLAIMS = """
local n = 0
for _, field in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('HGET', KEYS[1], field) == ARGV[1] then redis.call('HDEL', KEYS[1], field); n = n + 1 end
end
redis.call('DEL', KEYS[2])
return n
"""

# KEYS claims claims_of_owner; ARGV field, owner. One claim of this owner ends (it did not write it).
RELEASE_CLAIM = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('SREM', KEYS[2], ARGV[1])
return 0
"""

# KEYS articles url first_seen last_seen bad claims claims_of_owner latest_crawled_at; ARGV now,
# owner ('' for none), the items' latest crawled_at ('' for none), then (field, content hash, url) per
# item. Written: recorded, no longer a bad page, and the owner's claim on it ends, in one step; the
# latest crawled_at recorded only goes up.
RECORD = """
local now, owner = ARGV[1], ARGV[2]
if ARGV[3] ~= '' then
  local latest = redis.call('GET', KEYS[8])
  if not latest or latest < ARGV[3] then redis.call('SET', KEYS[8], ARGV[3]) end
end
local n = 0
for i = 4, #ARGV, 3 do
  local field = ARGV[i]
  redis.call('HSET', KEYS[1], field, ARGV[i + 1]); redis.call('HSET', KEYS[2], field, ARGV[i + 2])
  redis.call('HSETNX', KEYS[3], field, now); redis.call('HSET', KEYS[4], field, now)
  redis.call('HDEL', KEYS[5], field)
  if owner ~= '' then
    if redis.call('HGET', KEYS[6], field) == owner then redis.call('HDEL', KEYS[6], field) end
    redis.call('SREM', KEYS[7], field)
  end
  n = n + 1
end
return n
"""
