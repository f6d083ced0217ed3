"""The Lua scripts of the Redis connection: every state change is one atomic script.

Keys, for prefix ``P`` and queue ``q``: ``P queues:q`` (list of ready ids),
``P queues:q:delayed`` (sorted set, score = when it becomes available, ms),
``P queues:q:reserved`` (sorted set, score = when the lease expires, ms),
``P queues:q:notify`` (list a waiting worker blocks on) and ``P jobs:<id>`` (hash: the
body, the attempt count and the current reservation token). Times come from the Redis
server's clock (``TIME``), so workers on hosts with skewed clocks agree on expiry.
"""

from __future__ import annotations

__all__ = ["ACK", "CLEAR", "POP", "PUSH", "RELEASE", "RENEW", "SIZES"]

NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS: ready, delayed, notify, job hash. ARGV: id, body, delay ms, notify cap.
# Idempotent: pushing an id that is already stored changes nothing (a client retrying
# after a dropped connection must not queue the job twice).
PUSH = (
    NOW
    + """
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
redis.call('HSET', KEYS[4], 'body', ARGV[2], 'attempts', 0)
local delay = tonumber(ARGV[3])
if delay > 0 then
  redis.call('ZADD', KEYS[2], now + delay, ARGV[1])
else
  redis.call('RPUSH', KEYS[1], ARGV[1])
  redis.call('RPUSH', KEYS[3], 1)
  redis.call('LTRIM', KEYS[3], -tonumber(ARGV[4]), -1)
end
return 1
"""
)

# KEYS: (ready, delayed, reserved) per queue, in priority order.
# ARGV: job key prefix, lease ms, token, migration batch size.
# Returns {queue index, id, body, attempts} or false.
POP = (
    NOW
    + """
local prefix, lease, token, batch = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
for q = 1, #KEYS, 3 do
  local ready, delayed, reserved = KEYS[q], KEYS[q + 1], KEYS[q + 2]
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, batch)
  if #due > 0 then
    redis.call('ZREM', delayed, unpack(due))
    redis.call('RPUSH', ready, unpack(due))
  end
  local lost = redis.call('ZRANGEBYSCORE', reserved, '-inf', now, 'LIMIT', 0, batch)
  if #lost > 0 then
    redis.call('ZREM', reserved, unpack(lost))
    for i = #lost, 1, -1 do
      redis.call('HDEL', prefix .. lost[i], 'token')
      redis.call('LPUSH', ready, lost[i])
    end
  end
  while true do
    local id = redis.call('LPOP', ready)
    if not id then break end
    local key = prefix .. id
    local body = redis.call('HGET', key, 'body')
    if body then
      local attempts = redis.call('HINCRBY', key, 'attempts', 1)
      redis.call('HSET', key, 'token', token)
      redis.call('ZADD', reserved, now + lease, id)
      return {(q + 2) / 3, id, body, attempts}
    end
  end
end
return false
"""
)

# KEYS: reserved, job hash. ARGV: id, token.
ACK = """
if redis.call('HGET', KEYS[2], 'token') ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 1
"""

# KEYS: reserved, delayed, ready, job hash, notify. ARGV: id, token, delay ms, refund, cap.
RELEASE = (
    NOW
    + """
if redis.call('HGET', KEYS[4], 'token') ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[4], 'token')
if ARGV[4] == '1' then redis.call('HINCRBY', KEYS[4], 'attempts', -1) end
local delay = tonumber(ARGV[3])
if delay > 0 then
  redis.call('ZADD', KEYS[2], now + delay, ARGV[1])
else
  redis.call('RPUSH', KEYS[3], ARGV[1])
  redis.call('RPUSH', KEYS[5], 1)
  redis.call('LTRIM', KEYS[5], -tonumber(ARGV[5]), -1)
end
return 1
"""
)

# KEYS: reserved key of each job. ARGV: job key prefix, lease ms, then id, token pairs.
# Returns the ids whose lease is no longer theirs.
RENEW = (
    NOW
    + """
local prefix, lease, lost = ARGV[1], tonumber(ARGV[2]), {}
for i = 3, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local reserved = KEYS[(i - 1) / 2]
  if redis.call('HGET', prefix .. id, 'token') == token
     and redis.call('ZSCORE', reserved, id) then
    redis.call('ZADD', reserved, 'XX', now + lease, id)
  else
    table.insert(lost, id)
  end
end
return lost
"""
)

# KEYS: ready, delayed, reserved, notify. ARGV: job key prefix. Returns the count deleted.
CLEAR = """
local ids = redis.call('LRANGE', KEYS[1], 0, -1)
for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do table.insert(ids, id) end
for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do table.insert(ids, id) end
local count = 0
for _, id in ipairs(ids) do
  count = count + redis.call('DEL', ARGV[1] .. id)
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return count
"""

# KEYS: ready, delayed, reserved. Returns the three counts.
SIZES = """
return {redis.call('LLEN', KEYS[1]), redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3])}
"""
