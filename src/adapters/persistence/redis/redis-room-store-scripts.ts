/**
 * The Lua scripts behind RedisRoomStore, one per port method (key layout: see redis-room-store.ts). Each script
 * runs atomically in Redis and answers with one JSON document, assembled from the JSON already stored so that
 * participants and messages come back byte for byte as they were written. ARGV[1] is always the key prefix and
 * ARGV[2] the participant id; times arrive as ARGV from the store's clock, never from Redis.
 */
const prelude = String.raw`
local prefix = ARGV[1]
local function memberKey(id) return prefix .. 'member:' .. id end
local function callKey(id) return prefix .. 'call:' .. id end
local function rosterKey(id) return prefix .. 'roster:' .. id end
local function peopleKey(id) return prefix .. 'people:' .. id end
local function chatKey(id) return prefix .. 'chat:' .. id end
local function chatUntilKey(id) return prefix .. 'chat-until:' .. id end
local function nodeKey(id) return prefix .. 'node:' .. id end
local function aliveKey(id) return prefix .. 'alive:' .. id end
local function evictedKey(id) return prefix .. 'evicted:' .. id end
local nodesKey = prefix .. 'nodes'

-- cjson would write an empty table as {}: arrays are joined from stored JSON instead.
local function array(items) return '[' .. table.concat(items, ',') .. ']' end

local function roster(callId)
  local ids = redis.call('LRANGE', rosterKey(callId), 0, -1)
  if #ids == 0 then return ids end
  return redis.call('HMGET', peopleKey(callId), unpack(ids))
end

-- GuestName.settle: the chosen name, unless a logged-in participant of the call goes by its key.
local function settle(callId, name, key, ifTaken)
  for _, raw in ipairs(redis.call('HVALS', peopleKey(callId))) do
    local other = cjson.decode(raw)
    if type(other.userId) == 'string' and other.nameKey == key then return ifTaken end
  end
  return name
end

-- The LeaveResult JSON, or nil when the participant is in no call. The last one out ends the call and parks
-- its chat until untilMs (store clock), with a real expiry of keepPx as a safety net.
local function leaveNow(participantId, nowIso, untilMs, keepPx, node)
  redis.call('SREM', nodeKey(node), participantId)
  local callId = redis.call('GET', memberKey(participantId))
  if not callId then return nil end
  local leaver = redis.call('HGET', peopleKey(callId), participantId)
  redis.call('DEL', memberKey(participantId))
  redis.call('LREM', rosterKey(callId), 1, participantId)
  redis.call('HDEL', peopleKey(callId), participantId)
  local left = '{"callId":' .. cjson.encode(callId) .. ',"participant":' .. leaver .. ',"at":' .. cjson.encode(nowIso)
  local remaining = roster(callId)
  if #remaining > 0 then
    return left .. ',"remaining":' .. array(remaining) .. ',"ended":null}'
  end
  local call = redis.call('HMGET', callKey(callId), 'startedAt', 'peak')
  redis.call('DEL', callKey(callId))
  if redis.call('EXISTS', chatKey(callId)) == 1 then
    redis.call('PEXPIRE', chatKey(callId), keepPx)
    redis.call('SET', chatUntilKey(callId), untilMs, 'PX', keepPx)
  end
  return left .. ',"remaining":[],"ended":{"callId":' .. cjson.encode(callId) ..
    ',"startedAt":' .. cjson.encode(call[1]) .. ',"endedAt":' .. cjson.encode(nowIso) .. ',"peakSize":' .. tonumber(call[2]) .. '}}'
end
`;

/**
 * ARGV: prefix, participantId, callId, participant JSON (its joinedAt is nowIso), capacity, nowMs, nowIso, untilMs,
 * keepPx, naming ('1' or '0'), name, key, ifTaken, node, livenessPx.
 */
export const joinScript = `${prelude}
local participantId, callId, nowMs, nowIso, node = ARGV[2], ARGV[3], ARGV[6], ARGV[7], ARGV[14]
local current = redis.call('GET', memberKey(participantId))
if current ~= callId and redis.call('LLEN', rosterKey(callId)) >= tonumber(ARGV[5]) then
  return '{"full":true}'
end
local previous = current and leaveNow(participantId, nowIso, ARGV[8], ARGV[9], node) or 'null'
if redis.call('EXISTS', callKey(callId)) == 0 then
  local untilMs = redis.call('GET', chatUntilKey(callId))
  if untilMs and tonumber(untilMs) > tonumber(nowMs) then
    redis.call('PERSIST', chatKey(callId))
  else
    redis.call('DEL', chatKey(callId))
  end
  redis.call('DEL', chatUntilKey(callId))
  redis.call('HSET', callKey(callId), 'startedAt', nowIso, 'peak', 0)
end
local self = ARGV[4]
if ARGV[10] == '1' then
  local participant = cjson.decode(self)
  participant.name = settle(callId, ARGV[11], ARGV[12], ARGV[13])
  self = cjson.encode(participant)
end
redis.call('RPUSH', rosterKey(callId), participantId)
redis.call('HSET', peopleKey(callId), participantId, self)
redis.call('SET', memberKey(participantId), callId)
-- A join before this node's first heartbeat must not look like a dead node's to a sweeper.
redis.call('SADD', nodeKey(node), participantId)
redis.call('SADD', nodesKey, node)
redis.call('SET', aliveKey(node), '1', 'PX', ARGV[15], 'NX')
local size = redis.call('LLEN', rosterKey(callId))
if size > tonumber(redis.call('HGET', callKey(callId), 'peak')) then redis.call('HSET', callKey(callId), 'peak', size) end
return '{"self":' .. self .. ',"participants":' .. array(roster(callId)) ..
  ',"history":' .. array(redis.call('LRANGE', chatKey(callId), 0, -1)) .. ',"previous":' .. previous .. '}'
`;

/** ARGV: prefix, participantId, nowIso, untilMs, keepPx, node. */
export const leaveScript = `${prelude}
return leaveNow(ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]) or 'null'
`;

/** ARGV: prefix, node, livenessPx. Answers 'evicted' once after a sweeper took this node for dead. */
export const heartbeatScript = `${prelude}
local node = ARGV[2]
redis.call('SET', aliveKey(node), '1', 'PX', ARGV[3])
redis.call('SADD', nodesKey, node)
if redis.call('DEL', evictedKey(node)) == 1 then return 'evicted' end
return 'alive'
`;

/**
 * ARGV: prefix, limit, nowIso, untilMs, keepPx, evictedPx. Takes up to `limit` participants of nodes whose alive
 * key has expired out of their calls; a dead node with none left is forgotten.
 */
export const evictDeadNodesScript = `${prelude}
local budget = tonumber(ARGV[2])
local evictions = {}
for _, node in ipairs(redis.call('SMEMBERS', nodesKey)) do
  if budget <= 0 then break end
  if redis.call('EXISTS', aliveKey(node)) == 0 then
    local ids = redis.call('SPOP', nodeKey(node), budget)
    budget = budget - #ids
    for _, id in ipairs(ids) do
      local left = leaveNow(id, ARGV[3], ARGV[4], ARGV[5], node)
      if left then evictions[#evictions + 1] = '{"participantId":' .. cjson.encode(id) .. ',"left":' .. left .. '}' end
    end
    if #ids > 0 then redis.call('SET', evictedKey(node), '1', 'PX', ARGV[6]) end
    if redis.call('SCARD', nodeKey(node)) == 0 then redis.call('SREM', nodesKey, node) end
  end
end
return '{"evictions":' .. array(evictions) .. ',"more":' .. tostring(budget <= 0) .. '}'
`;

/** ARGV: prefix, token. Releases the sweep lock only when this sweeper still holds it. */
export const unlockScript = `${prelude}
if redis.call('GET', prefix .. 'sweep-lock') == ARGV[2] then redis.call('DEL', prefix .. 'sweep-lock') end
return 'ok'
`;

/** ARGV: prefix, participantId, message id, text, limit, nowIso, naming ('1' or '0'), name, key, ifTaken. */
export const postChatScript = `${prelude}
local participantId = ARGV[2]
local callId = redis.call('GET', memberKey(participantId))
if not callId then return 'null' end
local participant = cjson.decode(redis.call('HGET', peopleKey(callId), participantId))
if participant.unnamed and ARGV[7] == '1' then
  participant.name = settle(callId, ARGV[8], ARGV[9], ARGV[10])
  participant.nameKey = ARGV[9]
  participant.unnamed = false
  redis.call('HSET', peopleKey(callId), participantId, cjson.encode(participant))
end
local message = cjson.encode({
  id = ARGV[3], text = ARGV[4], sender = participant.name, senderId = participant.id, userId = participant.userId, ts = ARGV[6]
})
local limit = tonumber(ARGV[5])
redis.call('RPUSH', chatKey(callId), message)
if limit > 0 then redis.call('LTRIM', chatKey(callId), -limit, -1) else redis.call('DEL', chatKey(callId)) end
return '{"callId":' .. cjson.encode(callId) .. ',"message":' .. message .. '}'
`;

/** ARGV: prefix, participantId, change JSON. */
export const setMediaScript = `${prelude}
local participantId = ARGV[2]
local callId = redis.call('GET', memberKey(participantId))
if not callId then return 'null' end
local participant = cjson.decode(redis.call('HGET', peopleKey(callId), participantId))
for name, value in pairs(cjson.decode(ARGV[3])) do participant.media[name] = value end
local stored = cjson.encode(participant)
redis.call('HSET', peopleKey(callId), participantId, stored)
return '{"callId":' .. cjson.encode(callId) .. ',"participant":' .. stored .. '}'
`;
