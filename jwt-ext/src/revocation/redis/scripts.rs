//! The Lua scripts of every write the revocation check can see: each writes its keys and
//! publishes the login or identity they belong to (their hash tag) on the revocations channel
//! in one atomic step, so that no instance's near-cache misses a write that was made. Every key a script touches
//! carries one login's hash tag, so each runs on one Cluster slot (`PUBLISH` has no key).

/// One revocation key set, and its push. KEYS: the key. ARGV: value, ttl (0: none), only if
/// absent (1/0), channel, the key's login or identity. Returns 1 when it was set.
pub(super) const REVOKE: &str = r"
local set
if tonumber(ARGV[2]) > 0 then
  if ARGV[3] == '1' then set = redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX')
  else set = redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
elseif ARGV[3] == '1' then set = redis.call('SET', KEYS[1], ARGV[1], 'NX')
else set = redis.call('SET', KEYS[1], ARGV[1]) end
if not set then return 0 end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
";

/// One rotation step, atomically: the current token rotates, the previous one within the grace
/// period replays the successor, anything else revokes the family.
/// KEYS: state hash, revoked marker. ARGV: presented, next, now, grace, state ttl, revoked ttl
/// (ttls: 0 for none), channel, the family.
pub(super) const ROTATE: &str = r"
if redis.call('EXISTS', KEYS[2]) == 1 then return {'reused'} end
local current = redis.call('HGET', KEYS[1], 'current')
local now = tonumber(ARGV[3])
if (not current) or current == ARGV[1] then
  redis.call('HSET', KEYS[1], 'current', ARGV[2], 'previous', ARGV[1],
             'previous_until', now + tonumber(ARGV[4]))
  if tonumber(ARGV[5]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[5]) end
  return {'rotated'}
end
local previous = redis.call('HGET', KEYS[1], 'previous')
local until_ = tonumber(redis.call('HGET', KEYS[1], 'previous_until'))
if previous == ARGV[1] and now < until_ then return {'replayed', current} end
redis.call('DEL', KEYS[1])
if tonumber(ARGV[6]) > 0 then
  redis.call('SET', KEYS[2], 1, 'EX', ARGV[6])
else
  redis.call('SET', KEYS[2], 1)
end
redis.call('PUBLISH', ARGV[7], ARGV[8])
return {'reused'}
";

/// One exchange step, atomically: only the chain's current token (or, before the chain's
/// first exchange, its first token) is replaced by its successor; a revoked login or token is
/// refused. KEYS: chain state, presented token's revoked key, family's revoked marker, the
/// chain's first token's revoked key. ARGV: presented, next, now, grace, chain ttl, first
/// (1/0), presented ttl (ttls: 0 for none), chain id, channel, the login.
pub(super) const EXCHANGE: &str = r"
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local now = tonumber(ARGV[3])
local from = redis.call('GET', KEYS[2])
if from and tonumber(from) <= now then return 0 end
local state = redis.call('GET', KEYS[1])
if state then
  local decoded = cjson.decode(state)
  if decoded[1] ~= ARGV[1] then return 0 end
  -- The chain's first token loses the rest of its grace when its successor is exchanged.
  local first = redis.call('GET', KEYS[4])
  if decoded[2] == ARGV[8] and first and tonumber(first) > now then
    redis.call('SET', KEYS[4], now, 'KEEPTTL')
  end
end
local grace_end = now + tonumber(ARGV[4])
local value = cjson.encode({ARGV[2], ARGV[1], grace_end})
if tonumber(ARGV[5]) > 0 then
  redis.call('SET', KEYS[1], value, 'EX', ARGV[5])
else
  redis.call('SET', KEYS[1], value)
end
if ARGV[6] == '1' then
  if tonumber(ARGV[7]) > 0 then
    redis.call('SET', KEYS[2], grace_end, 'EX', ARGV[7])
  else
    redis.call('SET', KEYS[2], grace_end)
  end
end
redis.call('PUBLISH', ARGV[9], ARGV[10])
return 1
";

/// Records a login in its identity's hash of sessions: drops the ended ones, then the oldest
/// past the bound (returned, to be revoked), and keeps the hash as long as its longest login.
/// KEYS: the hash. ARGV: id, the session's JSON, most logins, now, ttl (0: none).
pub(super) const SESSION_RECORD: &str = r"
local now = tonumber(ARGV[4])
local all = redis.call('HGETALL', KEYS[1])
local live = {}
for i = 1, #all, 2 do
  local ok, session = pcall(cjson.decode, all[i + 1])
  if not ok or (type(session.expires_at) == 'number' and session.expires_at < now) then
    redis.call('HDEL', KEYS[1], all[i])
  elseif all[i] ~= ARGV[1] then
    table.insert(live, {all[i], tonumber(session.created_at) or 0})
  end
end
table.sort(live, function(a, b) return a[2] < b[2] end)
local dropped = {}
for i = 1, #live + 1 - tonumber(ARGV[3]) do
  redis.call('HDEL', KEYS[1], live[i][1])
  table.insert(dropped, live[i][1])
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local ttl = tonumber(ARGV[5])
if ttl > 0 then
  -- -1 (no expiry yet) is less too.
  if redis.call('TTL', KEYS[1]) < ttl then redis.call('EXPIRE', KEYS[1], ttl) end
else
  redis.call('PERSIST', KEYS[1])
end
return dropped
";

/// Notes a refresh of a recorded login. KEYS: the identity's hash. ARGV: id, UNIX second.
pub(super) const SESSION_TOUCH: &str = r"
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return 0 end
local session = cjson.decode(value)
session.last_refreshed_at = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(session))
return 1
";

/// Logs an identity out everywhere: keeps the later of the stored and the given instant,
/// empties its list of logins, and pushes the identity. KEYS: the logged-out key, the sessions
/// hash. ARGV: the instant (microseconds), ttl (0: none), channel, the identity.
pub(super) const LOGOUT_EVERYWHERE: &str = r"
local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tonumber(ARGV[1]) > current then
  if tonumber(ARGV[2]) > 0 then
    redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  else
    redis.call('SET', KEYS[1], ARGV[1])
  end
end
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
";
