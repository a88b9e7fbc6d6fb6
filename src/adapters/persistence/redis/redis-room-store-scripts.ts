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
local function leaveNow(participantId, nowIso, untilMs, keepPx)
  local callId = redis.call('GET', memberKey(participantId))
  if not callId then return nil end
  redis.call('DEL', memberKey(participantId))
  redis.call('LREM', rosterKey(callId), 1, participantId)
  redis.call('HDEL', peopleKey(callId), participantId)
  local remaining = roster(callId)
  if #remaining > 0 then
    return '{"callId":' .. cjson.encode(callId) .. ',"remaining":' .. array(remaining) .. ',"ended":null}'
  end
  local call = redis.call('HMGET', callKey(callId), 'startedAt', 'peak')
  redis.call('DEL', callKey(callId))
  if redis.call('EXISTS', chatKey(callId)) == 1 then
    redis.call('PEXPIRE', chatKey(callId), keepPx)
    redis.call('SET', chatUntilKey(callId), untilMs, 'PX', keepPx)
  end
  return '{"callId":' .. cjson.encode(callId) .. ',"remaining":[],"ended":{"callId":' .. cjson.encode(callId) ..
    ',"startedAt":' .. cjson.encode(call[1]) .. ',"endedAt":' .. cjson.encode(nowIso) .. ',"peakSize":' .. tonumber(call[2]) .. '}}'
end
`;

/** ARGV: prefix, participantId, callId, participant JSON, capacity, nowMs, nowIso, untilMs, keepPx, naming ('1' or '0'), name, key, ifTaken. */
export const joinScript = `${prelude}
local participantId, callId, nowMs, nowIso = ARGV[2], ARGV[3], ARGV[6], ARGV[7]
local current = redis.call('GET', memberKey(participantId))
if current ~= callId and redis.call('LLEN', rosterKey(callId)) >= tonumber(ARGV[5]) then
  return '{"full":true}'
end
local previous = current and leaveNow(participantId, nowIso, ARGV[8], ARGV[9]) or 'null'
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
local size = redis.call('LLEN', rosterKey(callId))
if size > tonumber(redis.call('HGET', callKey(callId), 'peak')) then redis.call('HSET', callKey(callId), 'peak', size) end
return '{"self":' .. self .. ',"participants":' .. array(roster(callId)) ..
  ',"history":' .. array(redis.call('LRANGE', chatKey(callId), 0, -1)) .. ',"previous":' .. previous .. '}'
`;

/** ARGV: prefix, participantId, nowIso, untilMs, keepPx. */
export const leaveScript = `${prelude}
return leaveNow(ARGV[2], ARGV[3], ARGV[4], ARGV[5]) or 'null'
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
