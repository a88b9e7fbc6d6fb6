/**
 * The Lua scripts behind RedisCallStore, one per port method (key layout: see redis-call-store.ts). Each script
 * runs atomically in Redis and answers with one JSON document, assembled from the JSON already stored so that
 * participants and messages come back byte for byte as they were written. ARGV[1] is always the call's context as
 * JSON ({ prefix, codeHoldMs, nowMs, marginMs }) and ARGV[2] the participant id; times arrive as ARGV from the store's clock,
 * never from Redis.
 */
const prelude = String.raw`
local context = cjson.decode(ARGV[1])
local prefix = context.prefix
local function memberKey(id) return prefix .. 'member:' .. id end
local function callKey(id) return prefix .. 'call:' .. id end
local function rosterKey(id) return prefix .. 'roster:' .. id end
local function peopleKey(id) return prefix .. 'people:' .. id end
local function chatKey(id) return prefix .. 'chat:' .. id end
local function chatUntilKey(id) return prefix .. 'chat-until:' .. id end
local function nodeKey(id) return prefix .. 'node:' .. id end
local function aliveKey(id) return prefix .. 'alive:' .. id end
local function evictedKey(id) return prefix .. 'evicted:' .. id end
local function bansKey(id) return prefix .. 'bans:' .. id end
local function banAddressesKey(id) return prefix .. 'ban-addresses:' .. id end
local function heldKey(id) return prefix .. 'held:' .. id end
local function resumeKey(token) return prefix .. 'resume:' .. token end
local function lobbyKey(id) return prefix .. 'lobby:' .. id end
local function waitersKey(id) return prefix .. 'waiters:' .. id end
local function waitingKey(id) return prefix .. 'waiting:' .. id end
local nodesKey = prefix .. 'nodes'
local graceKey = prefix .. 'grace'

-- cjson would write an empty table as {}: arrays are joined from stored JSON instead.
local function array(items) return '[' .. table.concat(items, ',') .. ']' end

local function roster(callId)
  local ids = redis.call('LRANGE', rosterKey(callId), 0, -1)
  if #ids == 0 then return ids end
  return redis.call('HMGET', peopleKey(callId), unpack(ids))
end

-- A participant's stored JSON decoded (it also carries the node that joined it), or nil.
local function person(callId, id)
  local raw = redis.call('HGET', peopleKey(callId), id)
  if raw then return cjson.decode(raw) end
  return nil
end

local function save(callId, participant)
  local raw = cjson.encode(participant)
  redis.call('HSET', peopleKey(callId), participant.id, raw)
  return raw
end

local function roleChange(id, role) return '{"id":' .. cjson.encode(id) .. ',"role":"' .. role .. '"}' end

local function hostOf(callId)
  for _, raw in ipairs(roster(callId)) do
    local participant = cjson.decode(raw)
    if participant.role == 'host' then return participant end
  end
  return nil
end

local function loggedIn(participant) return type(participant.userId) == 'string' end

-- An ad-hoc call's bans go with it; its code stays in use for the hold (see codeInUse).
local function endAdHoc(callId)
  redis.call('DEL', bansKey(callId), banAddressesKey(callId))
  redis.call('SET', heldKey(callId), string.format('%.0f', context.nowMs + context.codeHoldMs), 'PX', string.format('%.0f', context.codeHoldMs + context.marginMs))
end

-- The owner of the call as its first join named it ('' for an ad-hoc call), or \`named\` when the call is not live.
local function ownerOf(callId, named)
  local owner = redis.call('HGET', callKey(callId), 'owner')
  if owner then return owner end
  return named
end

-- A participant that leaves can no longer resume.
local function forgetResume(participant)
  if participant and participant.resume then redis.call('DEL', resumeKey(participant.resume)) end
  if participant then redis.call('ZREM', graceKey, participant.id) end
end

-- For a host action: the call and the host, or the refusal to answer with.
local function hostCall(byId)
  local callId = redis.call('GET', memberKey(byId))
  if not callId then return nil, nil, '{"refused":"not-in-call"}' end
  local host = person(callId, byId)
  if not host or host.role ~= 'host' then return nil, nil, '{"refused":"not-host"}' end
  return callId, host, nil
end

-- Another participant of the host's call, or nil.
local function targetIn(callId, byId, targetId)
  if targetId == byId or redis.call('GET', memberKey(targetId)) ~= callId then return nil end
  return person(callId, targetId)
end

-- GuestName.settle: the chosen name, unless a logged-in participant of the call goes by its key.
local function settle(callId, name, key, ifTaken)
  for _, raw in ipairs(redis.call('HVALS', peopleKey(callId))) do
    local other = cjson.decode(raw)
    if type(other.userId) == 'string' and other.nameKey == key then return ifTaken end
  end
  return name
end

local function optionsJson(callId)
  local flags = redis.call('HMGET', callKey(callId), 'locked', 'lobby')
  return '{"locked":' .. tostring(flags[1] == '1') .. ',"lobby":' .. tostring(flags[2] == '1') .. '}'
end

local function lobbyEntry(participant)
  return cjson.encode({ id = participant.id, name = participant.name, userId = participant.userId })
end

-- Who waits in the call's lobby, in arrival order, as a host sees them.
local function lobbyEntries(callId)
  local ids = redis.call('LRANGE', lobbyKey(callId), 0, -1)
  local entries = {}
  if #ids == 0 then return entries end
  for i, raw in ipairs(redis.call('HMGET', waitersKey(callId), unpack(ids))) do
    entries[i] = lobbyEntry(cjson.decode(raw).participant)
  end
  return entries
end

-- A participant who became host: with the waiting list it now decides on.
local function hostChange(callId, id)
  return '{"id":' .. cjson.encode(id) .. ',"role":"host","lobby":' .. array(lobbyEntries(callId)) .. '}'
end

-- Takes the participant off the waiting list it is on (and, unless keepNode, off its node); its waiter, or nil.
local function withdraw(participantId, keepNode)
  local callId = redis.call('GET', waitingKey(participantId))
  if not callId then return nil end
  local raw = redis.call('HGET', waitersKey(callId), participantId)
  redis.call('DEL', waitingKey(participantId))
  redis.call('LREM', lobbyKey(callId), 1, participantId)
  redis.call('HDEL', waitersKey(callId), participantId)
  if not raw then return nil end
  local waiter = cjson.decode(raw)
  if not keepNode and waiter.participant.node then redis.call('SREM', nodeKey(waiter.participant.node), participantId) end
  return waiter
end

-- The LeaveResult JSON, or nil when the participant is in no call. The last one out ends the call and parks
-- its chat until untilMs (store clock), with a real expiry of keepPx as a safety net.
-- When the host leaves, the longest-present logged-in participant takes over.
local function leaveNow(participantId, nowIso, untilMs, keepPx)
  local callId = redis.call('GET', memberKey(participantId))
  if not callId then return nil end
  local leaver = person(callId, participantId)
  if leaver and leaver.node then redis.call('SREM', nodeKey(leaver.node), participantId) end
  forgetResume(leaver)
  redis.call('DEL', memberKey(participantId))
  redis.call('LREM', rosterKey(callId), 1, participantId)
  redis.call('HDEL', peopleKey(callId), participantId)
  -- The leaver as stored (node included; the reader ignores it), re-encoded from the table read above.
  local left = '{"callId":' .. cjson.encode(callId) .. ',"participant":' .. cjson.encode(leaver) .. ',"at":' .. cjson.encode(nowIso)
  local remaining = roster(callId)
  if #remaining > 0 then
    local changes = {}
    if leaver and leaver.role == 'host' then
      -- successor (domain/call-rules): the first logged-in participant in join order.
      for i, raw in ipairs(remaining) do
        local successor = cjson.decode(raw)
        if loggedIn(successor) then
          successor.role = 'host'
          remaining[i] = save(callId, successor)
          changes[1] = hostChange(callId, successor.id)
          break
        end
      end
    end
    return left .. ',"remaining":' .. array(remaining) .. ',"ended":null,"roleChanges":' .. array(changes) .. '}'
  end
  local call = redis.call('HMGET', callKey(callId), 'startedAt', 'peak', 'owner')
  redis.call('DEL', callKey(callId))
  if call[3] == '' then endAdHoc(callId) end
  if redis.call('EXISTS', chatKey(callId)) == 1 then
    redis.call('PEXPIRE', chatKey(callId), keepPx)
    redis.call('SET', chatUntilKey(callId), untilMs, 'PX', keepPx)
  end
  return left .. ',"remaining":[],"ended":{"callId":' .. cjson.encode(callId) ..
    ',"startedAt":' .. cjson.encode(call[1]) .. ',"endedAt":' .. cjson.encode(nowIso) .. ',"peakSize":' .. tonumber(call[2]) .. '},"roleChanges":[]}'
end
`;

/**
 * ARGV: context, participantId, callId, participant JSON (its joinedAt is nowIso), capacity, nowMs, nowIso, untilMs,
 * keepPx, naming ('1' or '0'), name, key, ifTaken, node, livenessPx, ownerId ('' for an ad-hoc call),
 * lobbyByDefault ('1' or '0'), resume token ('' for none), connection id. Answers a JoinResult, or a LobbyWait when
 * the lobby holds the joiner back.
 */
export const joinScript = `${prelude}
local participantId, callId, nowMs, nowIso, node = ARGV[2], ARGV[3], ARGV[6], ARGV[7], ARGV[14]
-- A live call keeps the owner it started with: a meeting created meanwhile grants nothing over it.
local ownerId = ownerOf(callId, ARGV[16])
local participant = cjson.decode(ARGV[4])
local isOwner = ownerId ~= '' and participant.userId == ownerId
local current = redis.call('GET', memberKey(participantId))
-- entryRefusal (domain/call-rules): banned, then locked (but for the owner), then full; none for one already in.
if current ~= callId then
  if redis.call('SISMEMBER', bansKey(callId), participant.banKey) == 1 then return '{"refused":"banned"}' end
  if redis.call('HGET', callKey(callId), 'locked') == '1' and not isOwner then return '{"refused":"locked"}' end
  if redis.call('LLEN', rosterKey(callId)) >= tonumber(ARGV[5]) then return '{"full":true}' end
end
withdraw(participantId, false)
local previous = current and leaveNow(participantId, nowIso, ARGV[8], ARGV[9]) or 'null'
local lobbyOn = ARGV[17] == '1'
if redis.call('EXISTS', callKey(callId)) == 1 then lobbyOn = redis.call('HGET', callKey(callId), 'lobby') == '1' end
local hostNow = hostOf(callId)
-- placement (domain/call-rules): host by joining (the owner; in an ad-hoc call without a host, a logged-in joiner),
-- else the lobby when it is on for one not already in, else member. The role is settled the same way below.
if current ~= callId and lobbyOn and not (isOwner or (ownerId == '' and not hostNow and loggedIn(participant))) then
  participant.node = node
  participant.connection = ARGV[19]
  -- Kept with the waiter; its resume key is set only at admission, when there is a participant to resume.
  if ARGV[18] ~= '' then participant.resume = ARGV[18] end
  local naming = 'null'
  if ARGV[10] == '1' then naming = cjson.encode({ name = ARGV[11], key = ARGV[12], ifTaken = ARGV[13] }) end
  redis.call('RPUSH', lobbyKey(callId), participantId)
  redis.call('HSET', waitersKey(callId), participantId, '{"participant":' .. cjson.encode(participant) .. ',"naming":' .. naming .. '}')
  redis.call('SET', waitingKey(participantId), callId)
  redis.call('SADD', nodeKey(node), participantId)
  redis.call('SADD', nodesKey, node)
  redis.call('SET', aliveKey(node), '1', 'PX', ARGV[15], 'NX')
  local hostId = hostNow and cjson.encode(hostNow.id) or 'null'
  return '{"waiting":true,"knock":' .. lobbyEntry(participant) .. ',"hostId":' .. hostId .. ',"previous":' .. previous .. '}'
end
if redis.call('EXISTS', callKey(callId)) == 0 then
  local untilMs = redis.call('GET', chatUntilKey(callId))
  if untilMs and tonumber(untilMs) > tonumber(nowMs) then
    redis.call('PERSIST', chatKey(callId))
  else
    redis.call('DEL', chatKey(callId))
  end
  -- The live call holds its code now; its end holds it again if it is ad hoc.
  redis.call('DEL', chatUntilKey(callId), heldKey(callId))
  redis.call('HSET', callKey(callId), 'startedAt', nowIso, 'peak', 0, 'owner', ownerId, 'locked', '0')
  redis.call('HSET', callKey(callId), 'lobby', ARGV[17])
end
if ARGV[10] == '1' then participant.name = settle(callId, ARGV[11], ARGV[12], ARGV[13]) end
local changes = {}
local host = hostOf(callId)
participant.role = 'member'
if isOwner or (ownerId == '' and not host and loggedIn(participant)) then
  participant.role = 'host'
  if host then
    host.role = 'member'
    save(callId, host)
    changes[1] = roleChange(host.id, 'member')
  end
end
participant.node = node
participant.connected = true
participant.connection = ARGV[19]
if ARGV[18] ~= '' then
  participant.resume = ARGV[18]
  redis.call('SET', resumeKey(ARGV[18]), participantId)
end
redis.call('RPUSH', rosterKey(callId), participantId)
local self = save(callId, participant)
redis.call('SET', memberKey(participantId), callId)
-- A join before this node's first heartbeat must not look like a dead node's to a sweeper.
redis.call('SADD', nodeKey(node), participantId)
redis.call('SADD', nodesKey, node)
redis.call('SET', aliveKey(node), '1', 'PX', ARGV[15], 'NX')
local size = redis.call('LLEN', rosterKey(callId))
if size > tonumber(redis.call('HGET', callKey(callId), 'peak')) then redis.call('HSET', callKey(callId), 'peak', size) end
return '{"self":' .. self .. ',"participants":' .. array(roster(callId)) ..
  ',"history":' .. array(redis.call('LRANGE', chatKey(callId), 0, -1)) .. ',"previous":' .. previous ..
  ',"roleChanges":' .. array(changes) .. ',"options":' .. optionsJson(callId) ..
  ',"lobby":' .. array(participant.role == 'host' and lobbyEntries(callId) or {}) .. '}'
`;

/**
 * ARGV: context, participantId, nowIso, untilMs, keepPx, connection id ('' for any). With a connection id, a
 * participant now on another connection (it resumed) stays.
 */
export const leaveScript = `${prelude}
if ARGV[6] ~= '' then
  local callId = redis.call('GET', memberKey(ARGV[2]))
  local participant = callId and person(callId, ARGV[2])
  if participant and participant.connection and participant.connection ~= ARGV[6] then return 'null' end
end
withdraw(ARGV[2], false)
return leaveNow(ARGV[2], ARGV[3], ARGV[4], ARGV[5]) or 'null'
`;

/**
 * ARGV: context, node, livenessPx, epoch. Answers [standing, epoch]: standing is 'evicted' once after a sweeper took
 * this node for dead, 'alive' otherwise; epoch is the data's epoch, ARGV[4] when there was none (a Redis that is new
 * or lost its data).
 */
export const heartbeatScript = `${prelude}
local node = ARGV[2]
redis.call('SET', aliveKey(node), '1', 'PX', ARGV[3])
redis.call('SADD', nodesKey, node)
redis.call('SET', prefix .. 'epoch', ARGV[4], 'NX')
local epoch = redis.call('GET', prefix .. 'epoch')
if redis.call('DEL', evictedKey(node)) == 1 then return {'evicted', epoch} end
return {'alive', epoch}
`;

/**
 * ARGV: context, limit, nowIso, untilMs, keepPx, evictedPx. Takes up to `limit` participants of nodes whose alive
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
      withdraw(id, false)
      local left = leaveNow(id, ARGV[3], ARGV[4], ARGV[5])
      if left then evictions[#evictions + 1] = '{"participantId":' .. cjson.encode(id) .. ',"left":' .. left .. '}' end
    end
    if #ids > 0 then redis.call('SET', evictedKey(node), '1', 'PX', ARGV[6]) end
    if redis.call('SCARD', nodeKey(node)) == 0 then redis.call('SREM', nodesKey, node) end
  end
end
return '{"evictions":' .. array(evictions) .. ',"more":' .. tostring(budget <= 0) .. '}'
`;

/** ARGV: context, token. Releases the sweep lock only when this sweeper still holds it. */
export const unlockScript = `${prelude}
if redis.call('GET', prefix .. 'sweep-lock') == ARGV[2] then redis.call('DEL', prefix .. 'sweep-lock') end
return 'ok'
`;

/** ARGV: context, participantId, message id, text, limit, nowIso, naming ('1' or '0'), name, key, ifTaken. */
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

/** ARGV: context, participantId, change JSON. */
export const setMediaScript = `${prelude}
local participantId = ARGV[2]
local callId = redis.call('GET', memberKey(participantId))
if not callId then return 'null' end
local participant = person(callId, participantId)
local change = cjson.decode(ARGV[3])
for _, kind in ipairs({ 'audio', 'video' }) do
  if change[kind] == true and participant.forcedOff[kind] then return '{"refused":"forced-' .. kind .. '"}' end
end
for name, value in pairs(change) do participant.media[name] = value end
return '{"callId":' .. cjson.encode(callId) .. ',"participant":' .. save(callId, participant) .. '}'
`;

/** ARGV: context, byId, targetId, ban ('1' or '0'), nowIso, untilMs, keepPx. Answers the target's LeaveResult. */
export const kickScript = `${prelude}
local callId, host, refused = hostCall(ARGV[2])
if refused then return refused end
local target = targetIn(callId, ARGV[2], ARGV[3])
if not target then return '{"refused":"no-target"}' end
if ARGV[4] == '1' then
  -- banKeysOf: the target's key and the address it joined from; unban of the account lifts both.
  redis.call('SADD', bansKey(callId), target.banKey)
  if target.addressBanKey and target.addressBanKey ~= target.banKey then
    redis.call('SADD', bansKey(callId), target.addressBanKey)
    redis.call('HSET', banAddressesKey(callId), target.banKey, target.addressBanKey)
  end
end
return leaveNow(target.id, ARGV[5], ARGV[6], ARGV[7])
`;

/** ARGV: context, byId, targetId, kind ('audio' or 'video'), force ('1', '0', or '' for as it was). */
export const muteScript = `${prelude}
local callId, host, refused = hostCall(ARGV[2])
if refused then return refused end
local target = targetIn(callId, ARGV[2], ARGV[3])
if not target then return '{"refused":"no-target"}' end
target.media[ARGV[4]] = false
if ARGV[5] ~= '' then target.forcedOff[ARGV[4]] = ARGV[5] == '1' end
return '{"callId":' .. cjson.encode(callId) .. ',"participant":' .. save(callId, target) .. '}'
`;

/** ARGV: context, byId, locked, lobby (each '1', '0', or '' for as it was). */
export const setCallOptionsScript = `${prelude}
local callId, host, refused = hostCall(ARGV[2])
if refused then return refused end
if ARGV[3] ~= '' then redis.call('HSET', callKey(callId), 'locked', ARGV[3]) end
if ARGV[4] ~= '' then redis.call('HSET', callKey(callId), 'lobby', ARGV[4]) end
return '{"callId":' .. cjson.encode(callId) .. ',"options":' .. optionsJson(callId) .. '}'
`;

/** ARGV: context, byId, targetId. */
export const transferHostScript = `${prelude}
local callId, host, refused = hostCall(ARGV[2])
if refused then return refused end
local target = targetIn(callId, ARGV[2], ARGV[3])
if not target then return '{"refused":"no-target"}' end
if not loggedIn(target) then return '{"refused":"guest-host"}' end
host.role = 'member'
target.role = 'host'
save(callId, host)
save(callId, target)
return '{"callId":' .. cjson.encode(callId) .. ',"roleChanges":[' .. hostChange(callId, target.id) .. ',' .. roleChange(host.id, 'member') .. ']}'
`;

/** ARGV: context, byId, nowIso. Removes everyone and drops the chat. */
export const endCallScript = `${prelude}
local callId, host, refused = hostCall(ARGV[2])
if refused then return refused end
local removed = roster(callId)
for _, raw in ipairs(removed) do
  local participant = cjson.decode(raw)
  forgetResume(participant)
  redis.call('DEL', memberKey(participant.id))
  if participant.node then redis.call('SREM', nodeKey(participant.node), participant.id) end
end
local call = redis.call('HMGET', callKey(callId), 'startedAt', 'peak', 'owner')
redis.call('DEL', callKey(callId), rosterKey(callId), peopleKey(callId), chatKey(callId), chatUntilKey(callId))
if call[3] == '' then endAdHoc(callId) end
local turnedAway = {}
for i, id in ipairs(redis.call('LRANGE', lobbyKey(callId), 0, -1)) do
  withdraw(id, false)
  turnedAway[i] = cjson.encode(id)
end
return '{"callId":' .. cjson.encode(callId) .. ',"removed":' .. array(removed) .. ',"ended":{"callId":' .. cjson.encode(callId) ..
  ',"startedAt":' .. cjson.encode(call[1]) .. ',"endedAt":' .. cjson.encode(ARGV[3]) .. ',"peakSize":' .. tonumber(call[2]) .. '},"turnedAway":' ..
  array(turnedAway) .. '}'
`;

/** ARGV: context, byId, ban key. */
export const unbanScript = `${prelude}
local callId, host, refused = hostCall(ARGV[2])
if refused then return refused end
local address = redis.call('HGET', banAddressesKey(callId), ARGV[3])
if address then
  redis.call('SREM', bansKey(callId), address)
  redis.call('HDEL', banAddressesKey(callId), ARGV[3])
end
local lifted = redis.call('SREM', bansKey(callId), ARGV[3]) == 1
return '{"callId":' .. cjson.encode(callId) .. ',"lifted":' .. tostring(lifted) .. '}'
`;

/**
 * ARGV: context, participantId, connection id, untilMs (store clock). A suspended participant belongs to no node: the
 * grace, not a node's death, decides when it goes.
 */
export const suspendScript = `${prelude}
withdraw(ARGV[2], false)
local callId = redis.call('GET', memberKey(ARGV[2]))
if not callId then return 'null' end
local participant = person(callId, ARGV[2])
if not participant or not participant.resume or participant.connection ~= ARGV[3] then return 'null' end
participant.connected = false
if participant.node then redis.call('SREM', nodeKey(participant.node), participant.id) end
redis.call('ZADD', graceKey, ARGV[4], participant.id)
return '{"callId":' .. cjson.encode(callId) .. ',"participant":' .. save(callId, participant) .. '}'
`;

/**
 * ARGV: context, token, callId, connection id, node, livenessPx, nowMs, the connection's participant id, next token,
 * nowIso, untilMs, keepPx. The connection's participant, when another one, leaves first; the token is spent.
 */
export const resumeScript = `${prelude}
local participantId = redis.call('GET', resumeKey(ARGV[2]))
if not participantId then return 'null' end
local callId = redis.call('GET', memberKey(participantId))
if callId ~= ARGV[3] then return 'null' end
local graceUntil = redis.call('ZSCORE', graceKey, participantId)
if graceUntil and tonumber(graceUntil) <= tonumber(ARGV[7]) then return 'null' end
local previous = 'null'
if ARGV[8] ~= participantId then
  withdraw(ARGV[8], false)
  previous = leaveNow(ARGV[8], ARGV[10], ARGV[11], ARGV[12]) or 'null'
end
local participant = person(callId, participantId)
if not participant then return 'null' end
local replaced = 'null'
if participant.connected and participant.connection and participant.connection ~= ARGV[4] then replaced = cjson.encode(participant.connection) end
redis.call('DEL', resumeKey(ARGV[2]))
redis.call('SET', resumeKey(ARGV[9]), participantId)
participant.resume = ARGV[9]
if participant.node then redis.call('SREM', nodeKey(participant.node), participantId) end
participant.node = ARGV[5]
participant.connected = true
participant.connection = ARGV[4]
redis.call('ZREM', graceKey, participantId)
redis.call('SADD', nodeKey(ARGV[5]), participantId)
redis.call('SADD', nodesKey, ARGV[5])
redis.call('SET', aliveKey(ARGV[5]), '1', 'PX', ARGV[6], 'NX')
local self = save(callId, participant)
return '{"callId":' .. cjson.encode(callId) .. ',"self":' .. self .. ',"participants":' .. array(roster(callId)) ..
  ',"history":' .. array(redis.call('LRANGE', chatKey(callId), 0, -1)) ..
  ',"options":' .. optionsJson(callId) .. ',"previous":' .. previous .. ',"replaced":' .. replaced .. '}'
`;

/** ARGV: context, nowMs, limit, nowIso, untilMs, keepPx. Takes up to `limit` participants past their grace out. */
export const expireGraceScript = `${prelude}
local ids = redis.call('ZRANGEBYSCORE', graceKey, '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local evictions = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', graceKey, id)
  local left = leaveNow(id, ARGV[4], ARGV[5], ARGV[6])
  if left then evictions[#evictions + 1] = '{"participantId":' .. cjson.encode(id) .. ',"left":' .. left .. '}' end
end
return '{"evictions":' .. array(evictions) .. ',"more":' .. tostring(#ids >= tonumber(ARGV[3])) .. '}'
`;

/** ARGV: context, byId, targetId, capacity, nowIso. Joins a waiter of the host's call as a member stamped now. */
export const admitScript = `${prelude}
local callId, host, refused = hostCall(ARGV[2])
if refused then return refused end
if not redis.call('HGET', waitersKey(callId), ARGV[3]) then return '{"refused":"not-waiting"}' end
if redis.call('LLEN', rosterKey(callId)) >= tonumber(ARGV[4]) then return '{"full":true}' end
local waiter = withdraw(ARGV[3], true)
local participant = waiter.participant
participant.joinedAt = ARGV[5]
participant.role = 'member'
participant.connected = true
if type(waiter.naming) == 'table' then participant.name = settle(callId, waiter.naming.name, waiter.naming.key, waiter.naming.ifTaken) end
if participant.resume then redis.call('SET', resumeKey(participant.resume), participant.id) end
redis.call('RPUSH', rosterKey(callId), participant.id)
local self = save(callId, participant)
redis.call('SET', memberKey(participant.id), callId)
local size = redis.call('LLEN', rosterKey(callId))
if size > tonumber(redis.call('HGET', callKey(callId), 'peak')) then redis.call('HSET', callKey(callId), 'peak', size) end
return '{"callId":' .. cjson.encode(callId) .. ',"self":' .. self .. ',"participants":' .. array(roster(callId)) ..
  ',"history":' .. array(redis.call('LRANGE', chatKey(callId), 0, -1)) .. ',"options":' .. optionsJson(callId) ..
  ',"resumeToken":' .. (participant.resume and cjson.encode(participant.resume) or 'null') .. '}'
`;

/** ARGV: context, byId, targetId. Takes a waiter of the host's call off its lobby. */
export const denyScript = `${prelude}
local callId, host, refused = hostCall(ARGV[2])
if refused then return refused end
if not redis.call('HGET', waitersKey(callId), ARGV[3]) then return '{"refused":"not-waiting"}' end
withdraw(ARGV[3], false)
return '{"callId":' .. cjson.encode(callId) .. '}'
`;
