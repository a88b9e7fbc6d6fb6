/**
 * The Lua scripts behind RedisCallStore, one per port method (key layout: see redis-call-store.ts). Each script
 * runs atomically in Redis, takes one named request (ARGV[1], JSON: the store's context and the fields its type
 * below names) and answers with one cjson-encoded document. Times come in the request, from the store's clock,
 * never from Redis.
 */
import { CHAT_MESSAGE_OVERHEAD_BYTES } from '../../../domain/call';
import { LuaScript } from './lua-script';

/** What every request carries: the key prefix, the store's clock, and what a leave or a chat needs from the options. */
export interface ScriptContext {
  prefix: string;
  nowMs: number;
  nowIso: string;
  /** An ended ad-hoc call's code stays in use this long. */
  codeHoldMs: number;
  /** Chat parked now is kept until then (store-clock ms), with a real expiry of parkKeepPx as a safety net. */
  parkUntilMs: number;
  parkKeepPx: number;
  /** Real expiries outlive store-clock ones by this much, for clock skew between nodes. */
  marginMs: number;
  chatLimitBytes: number;
  node: string;
  livenessMs: number;
}

const prelude = String.raw`
local request = cjson.decode(ARGV[1])
local prefix = request.prefix
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
local function roomsOnKey(server) return prefix .. 'rooms-on:' .. server end
local nodesKey = prefix .. 'nodes'
local graceKey = prefix .. 'grace'
local chatBytesKey = prefix .. 'chat-bytes'
local chatSizesKey = prefix .. 'chat-sizes'
local liveChatsKey = prefix .. 'chats-live'
local parkedChatsKey = prefix .. 'chats-parked'
local chatOrderKey = prefix .. 'chat-order'

-- Numbers go to Redis as integers, never in exponent notation.
local function int(n) return string.format('%.0f', n) end
local function refuse(why) return cjson.encode({ refused = why }) end

local function decodeAll(raws)
  local items = {}
  for i, raw in ipairs(raws) do items[i] = cjson.decode(raw) end
  return items
end

-- The call's participants (as stored, with node, connection and resume, which the reader drops), in join order.
local function roster(callId)
  local ids = redis.call('LRANGE', rosterKey(callId), 0, -1)
  if #ids == 0 then return {} end
  return decodeAll(redis.call('HMGET', peopleKey(callId), unpack(ids)))
end

-- The call's chat, oldest first (each message with its counted bytes, which the reader drops).
local function history(callId) return decodeAll(redis.call('LRANGE', chatKey(callId), 0, -1)) end

local function person(callId, id)
  local raw = redis.call('HGET', peopleKey(callId), id)
  if raw then return cjson.decode(raw) end
  return nil
end

local function save(callId, participant)
  redis.call('HSET', peopleKey(callId), participant.id, cjson.encode(participant))
  return participant
end

local function hostOf(callId)
  for _, participant in ipairs(roster(callId)) do
    if participant.role == 'host' then return participant end
  end
  return nil
end

local function loggedIn(participant) return type(participant.userId) == 'string' end

local function options(callId)
  local flags = redis.call('HMGET', callKey(callId), 'locked', 'lobby')
  return { locked = flags[1] == '1', lobby = flags[2] == '1' }
end

-- The call's media path ('mesh' for a call stored before paths existed).
local function pathOf(callId) return redis.call('HGET', callKey(callId), 'path') or 'mesh' end

-- The call's room on the SFU as { server, key }, or null when it has none.
local function roomOf(callId)
  local placed = redis.call('HMGET', callKey(callId), 'server', 'room')
  if placed[1] and placed[2] then return { server = placed[1], key = placed[2] } end
  return cjson.null
end

-- An ended call's room no longer counts against its server; answers it, to be closed.
local function releaseRoom(callId)
  local room = roomOf(callId)
  if room ~= cjson.null then redis.call('SREM', roomsOnKey(room.server), callId) end
  return room
end

-- Stored before meshOnly existed: it may be a front end without acks, so it keeps its call a mesh.
local function isMeshOnly(participant) return participant.meshOnly ~= false end

-- mediaEntry (domain/media-path): the path a join takes and the capacity of that path, or the mesh-only refusal.
local function mediaEntry(facts)
  if not facts.alreadyIn and facts.joinerMeshOnly and facts.current == 'sfu' then return { refused = 'mesh-only' } end
  local path = 'mesh'
  if facts.current == 'sfu' then
    path = 'sfu'
  elseif not facts.sfuAvailable or facts.mode == 'mesh' or facts.meshOnlyPresent or facts.joinerMeshOnly then
    path = 'mesh'
  elseif facts.mode == 'sfu' or facts.size >= facts.sfuFrom then
    path = 'sfu'
  end
  local capacity = facts.capacity.mesh
  if path == 'sfu' then capacity = facts.capacity.sfu end
  return { path = path, capacity = capacity }
end

-- The facts of mediaEntry for someone entering the live (or not yet live) call, as request.media states the rest.
local function entryFacts(callId, joiner, alreadyIn)
  local live = redis.call('EXISTS', callKey(callId)) == 1
  local meshOnlyPresent = false
  for _, other in ipairs(roster(callId)) do
    if other.id ~= joiner.id and isMeshOnly(other) then meshOnlyPresent = true end
  end
  local size = redis.call('LLEN', rosterKey(callId))
  if not alreadyIn then size = size + 1 end
  return {
    mode = live and redis.call('HGET', callKey(callId), 'mode') or request.media.mode,
    sfuAvailable = request.media.sfuAvailable, sfuFrom = request.media.sfuFrom, capacity = request.media.capacity,
    current = live and pathOf(callId) or nil, size = size, alreadyIn = alreadyIn,
    meshOnlyPresent = meshOnlyPresent, joinerMeshOnly = isMeshOnly(joiner),
  }
end

-- The call takes the path a join or an admission decided: moved when that puts a mesh of several on the SFU.
local function takePath(callId, path)
  local moved = pathOf(callId) ~= 'sfu' and path == 'sfu' and redis.call('LLEN', rosterKey(callId)) > 1
  redis.call('HSET', callKey(callId), 'path', path)
  return { path = path, moved = moved }
end

-- The participant's call and media, or nil.
local function mediaMembership(participantId)
  local callId = redis.call('GET', memberKey(participantId))
  if not callId then return nil end
  return { callId = callId, participant = person(callId, participantId), path = pathOf(callId), room = roomOf(callId) }
end

local function touchNode(node)
  redis.call('SADD', nodesKey, node)
  -- A join before this node's first heartbeat must not look like a dead node's to a sweeper.
  redis.call('SET', aliveKey(node), '1', 'PX', int(request.livenessMs), 'NX')
end

-- The chat counted against the memory limit: per call in chat-sizes, in all in chat-bytes.
local function countChat(callId, bytes)
  if bytes == 0 then return end
  redis.call('HINCRBY', chatSizesKey, callId, int(bytes))
  redis.call('INCRBY', chatBytesKey, int(bytes))
end

local function dropChat(callId)
  local size = tonumber(redis.call('HGET', chatSizesKey, callId) or '0')
  redis.call('DEL', chatKey(callId), chatUntilKey(callId))
  redis.call('HDEL', chatSizesKey, callId)
  redis.call('ZREM', liveChatsKey, callId)
  redis.call('ZREM', parkedChatsKey, callId)
  if size ~= 0 then redis.call('DECRBY', chatBytesKey, size) end
end

local function dropOldestMessage(callId)
  local raw = redis.call('LPOP', chatKey(callId))
  -- A message stored before chat was counted carries no bytes: it is not in the count either.
  if raw then countChat(callId, -(cjson.decode(raw).bytes or 0)) end
  if redis.call('EXISTS', chatKey(callId)) == 0 then dropChat(callId) end
end

-- Parked chats are in parking order, which with one TTL is expiry order: stop at the first still kept.
local function dropExpiredChats(max)
  for _, callId in ipairs(redis.call('ZRANGE', parkedChatsKey, 0, max - 1)) do
    local untilMs = redis.call('GET', chatUntilKey(callId))
    if untilMs and tonumber(untilMs) > request.nowMs then return end
    dropChat(callId)
  end
end

-- As the memory store: past the limit, parked chats go first (oldest first), then the oldest messages of the live
-- call whose chat began first.
local function keepChatWithinLimit()
  while tonumber(redis.call('GET', chatBytesKey) or '0') > request.chatLimitBytes do
    local parked = redis.call('ZRANGE', parkedChatsKey, 0, 0)[1]
    local live = redis.call('ZRANGE', liveChatsKey, 0, 0)[1]
    if parked then
      dropChat(parked)
    elseif live then
      dropOldestMessage(live)
    else
      redis.call('SET', chatBytesKey, 0)
      return
    end
  end
end

local function nextChatOrder() return redis.call('INCR', chatOrderKey) end

-- An ad-hoc call's bans go with it; its code stays in use for the hold (see codeInUse).
local function endAdHoc(callId)
  redis.call('DEL', bansKey(callId), banAddressesKey(callId))
  redis.call('SET', heldKey(callId), int(request.nowMs + request.codeHoldMs), 'PX', int(request.codeHoldMs + request.marginMs))
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
  if not callId then return nil, nil, refuse('not-in-call') end
  local host = person(callId, byId)
  if not host or host.role ~= 'host' then return nil, nil, refuse('not-host') end
  return callId, host, nil
end

-- Another participant of the host's call, or nil.
local function targetIn(callId, byId, targetId)
  if targetId == byId or redis.call('GET', memberKey(targetId)) ~= callId then return nil end
  return person(callId, targetId)
end

-- GuestName.settle: the chosen name, unless a logged-in participant of the call goes by its key.
local function settle(callId, naming)
  for _, raw in ipairs(redis.call('HVALS', peopleKey(callId))) do
    local other = cjson.decode(raw)
    if type(other.userId) == 'string' and other.nameKey == naming.key then return naming.ifTaken end
  end
  return naming.name
end

local function lobbyEntry(participant)
  return { id = participant.id, name = participant.name, userId = participant.userId }
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
local function hostChange(callId, id) return { id = id, role = 'host', lobby = lobbyEntries(callId) } end

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

local function ended(callId, call)
  return { callId = callId, startedAt = call[1], endedAt = request.nowIso, peakSize = tonumber(call[2]) }
end

-- The LeaveResult, or nil when the participant is in no call. The last one out ends the call and parks its chat.
-- When the host leaves, the longest-present logged-in participant takes over.
local function leaveNow(participantId)
  local callId = redis.call('GET', memberKey(participantId))
  if not callId then return nil end
  local leaver = person(callId, participantId)
  if leaver and leaver.node then redis.call('SREM', nodeKey(leaver.node), participantId) end
  forgetResume(leaver)
  redis.call('DEL', memberKey(participantId))
  redis.call('LREM', rosterKey(callId), 1, participantId)
  redis.call('HDEL', peopleKey(callId), participantId)
  local left = {
    callId = callId, participant = leaver or cjson.null, at = request.nowIso, remaining = roster(callId), ended = cjson.null,
    roleChanges = {}, room = roomOf(callId),
  }
  if #left.remaining > 0 then
    if leaver and leaver.role == 'host' then
      -- successor (domain/call-rules): the first logged-in participant in join order.
      for _, successor in ipairs(left.remaining) do
        if loggedIn(successor) then
          successor.role = 'host'
          save(callId, successor)
          left.roleChanges[1] = hostChange(callId, successor.id)
          break
        end
      end
    end
    return left
  end
  local call = redis.call('HMGET', callKey(callId), 'startedAt', 'peak', 'owner')
  releaseRoom(callId)
  redis.call('DEL', callKey(callId))
  if call[3] == '' then endAdHoc(callId) end
  redis.call('ZREM', liveChatsKey, callId)
  if redis.call('EXISTS', chatKey(callId)) == 1 then
    redis.call('PEXPIRE', chatKey(callId), int(request.parkKeepPx))
    redis.call('SET', chatUntilKey(callId), int(request.parkUntilMs), 'PX', int(request.parkKeepPx))
    redis.call('ZADD', parkedChatsKey, nextChatOrder(), callId)
  end
  left.ended = ended(callId, call)
  return left
end

local function evictions(ids, leaves)
  local list = {}
  for _, id in ipairs(ids) do
    local left = leaves(id)
    if left then list[#list + 1] = { participantId = id, left = left } end
  end
  return list
end
`;

/** A guest's name as the store settles it (GuestName.settle). */
interface NamingField {
  name: string;
  key: string;
  ifTaken: string;
}

/** MediaFacts of the call store port: what decides a call's path besides what the store holds. */
interface MediaFactsField {
  mode: 'auto' | 'mesh' | 'sfu';
  sfuAvailable: boolean;
  sfuFrom: number;
  capacity: { mesh: number; sfu: number };
}

/**
 * The participant as stored (joinedAt is nowIso), capped by the capacity of the path mediaEntry gives the call.
 * ownerId is '' for an ad-hoc call. Answers a JoinResult, { full, capacity }, a refusal, or a LobbyWait when the lobby
 * holds the joiner back.
 */
export const joinScript = new LuaScript<{
  callId: string;
  participant: object & { id: string };
  media: MediaFactsField;
  naming?: NamingField;
  ownerId: string;
  lobbyByDefault: boolean;
  resumeToken?: string;
  connectionId: string;
}>(String.raw`${prelude}
local callId, participant, node = request.callId, request.participant, request.node
local participantId = participant.id
-- A live call keeps the owner it started with: a meeting created meanwhile grants nothing over it.
local ownerId = ownerOf(callId, request.ownerId)
local isOwner = ownerId ~= '' and participant.userId == ownerId
local current = redis.call('GET', memberKey(participantId))
local entry = mediaEntry(entryFacts(callId, participant, current == callId))
-- entryRefusal (domain/call-rules): banned, then locked (but for the owner), then full; none for one already in.
-- A mesh-only joiner of a call on the SFU is refused after those (mediaEntry), capacity aside.
if current ~= callId then
  if redis.call('SISMEMBER', bansKey(callId), participant.banKey) == 1 then return refuse('banned') end
  if redis.call('HGET', callKey(callId), 'locked') == '1' and not isOwner then return refuse('locked') end
  if not entry.refused and redis.call('LLEN', rosterKey(callId)) >= entry.capacity then
    return cjson.encode({ full = true, capacity = entry.capacity })
  end
end
if entry.refused then return refuse(entry.refused) end
withdraw(participantId, false)
local previous = current and leaveNow(participantId) or cjson.null
local lobbyOn = request.lobbyByDefault
if redis.call('EXISTS', callKey(callId)) == 1 then lobbyOn = redis.call('HGET', callKey(callId), 'lobby') == '1' end
local hostNow = hostOf(callId)
participant.node = node
participant.connection = request.connectionId
-- placement (domain/call-rules): host by joining (the owner; in an ad-hoc call without a host, a logged-in joiner),
-- else the lobby when it is on for one not already in, else member. The role is settled the same way below.
if current ~= callId and lobbyOn and not (isOwner or (ownerId == '' and not hostNow and loggedIn(participant))) then
  -- Kept with the waiter; its resume key is set only at admission, when there is a participant to resume.
  if request.resumeToken then participant.resume = request.resumeToken end
  redis.call('RPUSH', lobbyKey(callId), participantId)
  redis.call('HSET', waitersKey(callId), participantId, cjson.encode({ participant = participant, naming = request.naming or cjson.null }))
  redis.call('SET', waitingKey(participantId), callId)
  redis.call('SADD', nodeKey(node), participantId)
  touchNode(node)
  return cjson.encode({ waiting = true, knock = lobbyEntry(participant), hostId = hostNow and hostNow.id or cjson.null, previous = previous })
end
if redis.call('EXISTS', callKey(callId)) == 0 then
  -- A parked chat comes back (unless past its time) as the newest live chat.
  local untilMs = redis.call('GET', chatUntilKey(callId))
  if untilMs and tonumber(untilMs) > request.nowMs and redis.call('PERSIST', chatKey(callId)) == 1 then
    redis.call('DEL', chatUntilKey(callId))
    redis.call('ZREM', parkedChatsKey, callId)
    redis.call('ZADD', liveChatsKey, nextChatOrder(), callId)
  else
    dropChat(callId)
  end
  -- The live call holds its code now; its end holds it again if it is ad hoc.
  redis.call('DEL', heldKey(callId))
  redis.call(
    'HSET', callKey(callId), 'startedAt', request.nowIso, 'peak', 0, 'owner', ownerId, 'locked', '0',
    'lobby', request.lobbyByDefault and '1' or '0', 'mode', request.media.mode, 'path', 'mesh'
  )
end
if request.naming then participant.name = settle(callId, request.naming) end
local roleChanges = {}
local host = hostOf(callId)
participant.role = 'member'
if isOwner or (ownerId == '' and not host and loggedIn(participant)) then
  participant.role = 'host'
  if host then
    host.role = 'member'
    save(callId, host)
    roleChanges[1] = { id = host.id, role = 'member' }
  end
end
participant.connected = true
if request.resumeToken then
  participant.resume = request.resumeToken
  redis.call('SET', resumeKey(request.resumeToken), participantId)
end
redis.call('RPUSH', rosterKey(callId), participantId)
save(callId, participant)
redis.call('SET', memberKey(participantId), callId)
redis.call('SADD', nodeKey(node), participantId)
touchNode(node)
local size = redis.call('LLEN', rosterKey(callId))
if size > tonumber(redis.call('HGET', callKey(callId), 'peak')) then redis.call('HSET', callKey(callId), 'peak', size) end
-- Decided before anyone moved; the call (new, or left by the joiner's move) takes it now.
local media = takePath(callId, entry.path)
return cjson.encode({
  self = participant, participants = roster(callId), history = history(callId), previous = previous,
  roleChanges = roleChanges, options = options(callId), lobby = participant.role == 'host' and lobbyEntries(callId) or {},
  media = media,
})
`);

/** With a connection id, a participant now on another connection (it resumed) stays. Answers a LeaveResult or null. */
export const leaveScript = new LuaScript<{ participantId: string; connectionId?: string }>(String.raw`${prelude}
local participantId = request.participantId
if request.connectionId then
  local callId = redis.call('GET', memberKey(participantId))
  local participant = callId and person(callId, participantId)
  if participant and participant.connection and participant.connection ~= request.connectionId then return 'null' end
end
withdraw(participantId, false)
return cjson.encode(leaveNow(participantId) or cjson.null)
`);

/**
 * Answers { standing, epoch }: standing is 'evicted' once after a sweeper took this node for dead, 'alive' otherwise;
 * epoch is the data's epoch, the request's when there was none (a Redis that is new or lost its data).
 */
export const heartbeatScript = new LuaScript<{ epoch: string }>(String.raw`${prelude}
redis.call('SET', aliveKey(request.node), '1', 'PX', int(request.livenessMs))
redis.call('SADD', nodesKey, request.node)
redis.call('SET', prefix .. 'epoch', request.epoch, 'NX')
local epoch = redis.call('GET', prefix .. 'epoch')
local standing = 'alive'
if redis.call('DEL', evictedKey(request.node)) == 1 then standing = 'evicted' end
return cjson.encode({ standing = standing, epoch = epoch })
`);

/** Takes up to `limit` participants of nodes whose alive key has expired out of their calls; a dead node with none left is forgotten. */
export const evictDeadNodesScript = new LuaScript<{ limit: number; evictedMarkMs: number }>(String.raw`${prelude}
local budget = request.limit
local taken = {}
for _, node in ipairs(redis.call('SMEMBERS', nodesKey)) do
  if budget <= 0 then break end
  if redis.call('EXISTS', aliveKey(node)) == 0 then
    local ids = redis.call('SPOP', nodeKey(node), budget)
    budget = budget - #ids
    for _, eviction in ipairs(evictions(ids, function(id)
      withdraw(id, false)
      return leaveNow(id)
    end)) do taken[#taken + 1] = eviction end
    if #ids > 0 then redis.call('SET', evictedKey(node), '1', 'PX', int(request.evictedMarkMs)) end
    if redis.call('SCARD', nodeKey(node)) == 0 then redis.call('SREM', nodesKey, node) end
  end
end
return cjson.encode({ evictions = taken, more = budget <= 0 })
`);

/** Releases the sweep lock only when this sweeper still holds it. */
export const unlockScript = new LuaScript<{ token: string }>(String.raw`${prelude}
if redis.call('GET', prefix .. 'sweep-lock') == request.token then redis.call('DEL', prefix .. 'sweep-lock') end
return 'null'
`);

/**
 * Appends the message (sender as stored, stamped now), keeps the call's newest `historyLimit` and all chat within
 * chatLimitBytes. Answers { callId, message } or null.
 */
export const postChatScript = new LuaScript<{ participantId: string; id: string; text: string; historyLimit: number; naming?: NamingField }>(
  String.raw`${prelude}
local participantId = request.participantId
local callId = redis.call('GET', memberKey(participantId))
if not callId then return 'null' end
local participant = person(callId, participantId)
if participant.unnamed and request.naming then
  participant.name = settle(callId, request.naming)
  participant.nameKey = request.naming.key
  participant.unnamed = false
  save(callId, participant)
end
local message = { id = request.id, text = request.text, sender = participant.name, senderId = participant.id, userId = participant.userId, ts = request.nowIso }
-- chatMessageBytes (domain/call): the UTF-8 size of its strings plus CHAT_MESSAGE_OVERHEAD_BYTES.
message.bytes = #message.id + #message.text + #message.sender + #message.senderId + (loggedIn(participant) and #participant.userId or 0) + ${CHAT_MESSAGE_OVERHEAD_BYTES}
redis.call('RPUSH', chatKey(callId), cjson.encode(message))
countChat(callId, message.bytes)
if not redis.call('ZSCORE', liveChatsKey, callId) then redis.call('ZADD', liveChatsKey, nextChatOrder(), callId) end
while redis.call('LLEN', chatKey(callId)) > request.historyLimit do dropOldestMessage(callId) end
keepChatWithinLimit()
return cjson.encode({ callId = callId, message = message })
`,
);

/** Answers { callId, participant }, a refusal for a forced-off kind turned on, or null. */
export const setMediaScript = new LuaScript<{ participantId: string; change: Partial<Record<'audio' | 'video' | 'screen' | 'hand', boolean>> }>(
  String.raw`${prelude}
local callId = redis.call('GET', memberKey(request.participantId))
if not callId then return 'null' end
local participant = person(callId, request.participantId)
for _, kind in ipairs({ 'audio', 'video' }) do
  if request.change[kind] == true and participant.forcedOff[kind] then return refuse('forced-' .. kind) end
end
for name, value in pairs(request.change) do participant.media[name] = value end
return cjson.encode({ callId = callId, participant = save(callId, participant) })
`,
);

/** Answers the target's LeaveResult; with ban, banKeysOf the target stay barred. */
export const kickScript = new LuaScript<{ byId: string; targetId: string; ban: boolean }>(String.raw`${prelude}
local callId, host, refused = hostCall(request.byId)
if refused then return refused end
local target = targetIn(callId, request.byId, request.targetId)
if not target then return refuse('no-target') end
if request.ban then
  -- banKeysOf: the target's key and the address it joined from; unban of the account lifts both.
  redis.call('SADD', bansKey(callId), target.banKey)
  if target.addressBanKey and target.addressBanKey ~= target.banKey then
    redis.call('SADD', bansKey(callId), target.addressBanKey)
    redis.call('HSET', banAddressesKey(callId), target.banKey, target.addressBanKey)
  end
end
return cjson.encode(leaveNow(target.id))
`);

/** Turns the target's kind off; force, when given, sets whether it stays off. */
export const muteScript = new LuaScript<{ byId: string; targetId: string; kind: 'audio' | 'video'; force?: boolean }>(String.raw`${prelude}
local callId, host, refused = hostCall(request.byId)
if refused then return refused end
local target = targetIn(callId, request.byId, request.targetId)
if not target then return refuse('no-target') end
target.media[request.kind] = false
if request.force ~= nil then target.forcedOff[request.kind] = request.force end
return cjson.encode({ callId = callId, participant = save(callId, target), path = pathOf(callId), room = roomOf(callId) })
`);

/** Sets the flags the change names; the others stay as they were. */
export const setCallOptionsScript = new LuaScript<{ byId: string; change: { locked?: boolean; lobby?: boolean } }>(String.raw`${prelude}
local callId, host, refused = hostCall(request.byId)
if refused then return refused end
for _, flag in ipairs({ 'locked', 'lobby' }) do
  if request.change[flag] ~= nil then redis.call('HSET', callKey(callId), flag, request.change[flag] and '1' or '0') end
end
return cjson.encode({ callId = callId, options = options(callId) })
`);

export const transferHostScript = new LuaScript<{ byId: string; targetId: string }>(String.raw`${prelude}
local callId, host, refused = hostCall(request.byId)
if refused then return refused end
local target = targetIn(callId, request.byId, request.targetId)
if not target then return refuse('no-target') end
if not loggedIn(target) then return refuse('guest-host') end
host.role = 'member'
target.role = 'host'
save(callId, host)
save(callId, target)
return cjson.encode({ callId = callId, roleChanges = { hostChange(callId, target.id), { id = host.id, role = 'member' } } })
`);

/** Removes everyone, drops the chat and turns the lobby away. */
export const endCallScript = new LuaScript<{ byId: string }>(String.raw`${prelude}
local callId, host, refused = hostCall(request.byId)
if refused then return refused end
local removed = roster(callId)
for _, participant in ipairs(removed) do
  forgetResume(participant)
  redis.call('DEL', memberKey(participant.id))
  if participant.node then redis.call('SREM', nodeKey(participant.node), participant.id) end
end
local call = redis.call('HMGET', callKey(callId), 'startedAt', 'peak', 'owner')
local room = releaseRoom(callId)
redis.call('DEL', callKey(callId), rosterKey(callId), peopleKey(callId))
dropChat(callId)
if call[3] == '' then endAdHoc(callId) end
local turnedAway = redis.call('LRANGE', lobbyKey(callId), 0, -1)
for _, id in ipairs(turnedAway) do withdraw(id, false) end
return cjson.encode({ callId = callId, removed = removed, ended = ended(callId, call), turnedAway = turnedAway, room = room })
`);

/** Lifts a ban key, and the address banned with it. */
export const unbanScript = new LuaScript<{ byId: string; banKey: string }>(String.raw`${prelude}
local callId, host, refused = hostCall(request.byId)
if refused then return refused end
local address = redis.call('HGET', banAddressesKey(callId), request.banKey)
if address then
  redis.call('SREM', bansKey(callId), address)
  redis.call('HDEL', banAddressesKey(callId), request.banKey)
end
local lifted = redis.call('SREM', bansKey(callId), request.banKey) == 1
return cjson.encode({ callId = callId, lifted = lifted })
`);

/** A suspended participant belongs to no node: the grace (graceUntilMs, store clock), not a node's death, decides when it goes. */
export const suspendScript = new LuaScript<{ participantId: string; connectionId: string; graceUntilMs: number }>(String.raw`${prelude}
withdraw(request.participantId, false)
local callId = redis.call('GET', memberKey(request.participantId))
if not callId then return 'null' end
local participant = person(callId, request.participantId)
if not participant or not participant.resume or participant.connection ~= request.connectionId then return 'null' end
participant.connected = false
if participant.node then redis.call('SREM', nodeKey(participant.node), participant.id) end
redis.call('ZADD', graceKey, int(request.graceUntilMs), participant.id)
return cjson.encode({ callId = callId, participant = save(callId, participant) })
`);

/**
 * Brings the token's participant back on this node and connection. The connection's participant, when another one,
 * leaves first; the token is spent for nextToken.
 */
export const resumeScript = new LuaScript<{ token: string; callId: string; connectionId: string; participantId: string; nextToken: string }>(
  String.raw`${prelude}
local participantId = redis.call('GET', resumeKey(request.token))
if not participantId then return 'null' end
local callId = redis.call('GET', memberKey(participantId))
if callId ~= request.callId then return 'null' end
local graceUntil = redis.call('ZSCORE', graceKey, participantId)
if graceUntil and tonumber(graceUntil) <= request.nowMs then return 'null' end
local previous = cjson.null
if request.participantId ~= participantId then
  withdraw(request.participantId, false)
  previous = leaveNow(request.participantId) or cjson.null
end
local participant = person(callId, participantId)
if not participant then return 'null' end
local replaced = cjson.null
if participant.connected and participant.connection and participant.connection ~= request.connectionId then replaced = participant.connection end
redis.call('DEL', resumeKey(request.token))
redis.call('SET', resumeKey(request.nextToken), participantId)
participant.resume = request.nextToken
if participant.node then redis.call('SREM', nodeKey(participant.node), participantId) end
participant.node = request.node
participant.connected = true
participant.connection = request.connectionId
redis.call('ZREM', graceKey, participantId)
redis.call('SADD', nodeKey(request.node), participantId)
touchNode(request.node)
save(callId, participant)
return cjson.encode({
  callId = callId, self = participant, participants = roster(callId), history = history(callId),
  options = options(callId), previous = previous, replaced = replaced, path = pathOf(callId),
})
`,
);

/** Takes up to `limit` participants past their grace out, and drops up to `limit` parked chats past their time. */
export const expireGraceScript = new LuaScript<{ limit: number }>(String.raw`${prelude}
dropExpiredChats(request.limit)
local ids = redis.call('ZRANGEBYSCORE', graceKey, '-inf', int(request.nowMs), 'LIMIT', 0, request.limit)
return cjson.encode({
  evictions = evictions(ids, function(id)
    redis.call('ZREM', graceKey, id)
    return leaveNow(id)
  end),
  more = #ids >= request.limit,
})
`);

/**
 * Joins a waiter of the host's call as a member stamped now, within the capacity of the path mediaEntry gives the
 * call (its own mode); a mesh-only waiter of a call on the SFU is refused.
 */
export const admitScript = new LuaScript<{ byId: string; targetId: string; media: Omit<MediaFactsField, 'mode'> }>(String.raw`${prelude}
local callId, host, refused = hostCall(request.byId)
if refused then return refused end
local raw = redis.call('HGET', waitersKey(callId), request.targetId)
if not raw then return refuse('not-waiting') end
local entry = mediaEntry(entryFacts(callId, cjson.decode(raw).participant, false))
if entry.refused then return refuse(entry.refused) end
if redis.call('LLEN', rosterKey(callId)) >= entry.capacity then return cjson.encode({ full = true, capacity = entry.capacity }) end
local waiter = withdraw(request.targetId, true)
local participant = waiter.participant
participant.joinedAt = request.nowIso
participant.role = 'member'
participant.connected = true
if type(waiter.naming) == 'table' then participant.name = settle(callId, waiter.naming) end
if participant.resume then redis.call('SET', resumeKey(participant.resume), participant.id) end
redis.call('RPUSH', rosterKey(callId), participant.id)
save(callId, participant)
redis.call('SET', memberKey(participant.id), callId)
local size = redis.call('LLEN', rosterKey(callId))
if size > tonumber(redis.call('HGET', callKey(callId), 'peak')) then redis.call('HSET', callKey(callId), 'peak', size) end
local media = takePath(callId, entry.path)
return cjson.encode({
  callId = callId, self = participant, participants = roster(callId), history = history(callId),
  options = options(callId), resumeToken = participant.resume or cjson.null, media = media,
})
`);

/** Takes a waiter of the host's call off its lobby. */
export const denyScript = new LuaScript<{ byId: string; targetId: string }>(String.raw`${prelude}
local callId, host, refused = hostCall(request.byId)
if refused then return refused end
if not redis.call('HGET', waitersKey(callId), request.targetId) then return refuse('not-waiting') end
withdraw(request.targetId, false)
return cjson.encode({ callId = callId })
`);

/** Answers the participant's call and media ({ callId, participant, path, room }), or null. */
export const mediaOfScript = new LuaScript<{ participantId: string }>(String.raw`${prelude}
return cjson.encode(mediaMembership(request.participantId) or cjson.null)
`);

/**
 * As mediaOf, first placing a call on the SFU that has no room yet: `key` on the server of `servers` holding the fewest
 * rooms, the first of equals (leastLoaded in domain/media-path).
 */
export const placeRoomScript = new LuaScript<{ participantId: string; servers: string[]; key: string }>(String.raw`${prelude}
local callId = redis.call('GET', memberKey(request.participantId))
if not callId then return 'null' end
if pathOf(callId) == 'sfu' and roomOf(callId) == cjson.null then
  local best, bestRooms = nil, nil
  for _, server in ipairs(request.servers) do
    local rooms = redis.call('SCARD', roomsOnKey(server))
    if bestRooms == nil or rooms < bestRooms then best, bestRooms = server, rooms end
  end
  if best then
    redis.call('HSET', callKey(callId), 'server', best, 'room', request.key)
    redis.call('SADD', roomsOnKey(best), callId)
  end
end
return cjson.encode(mediaMembership(request.participantId))
`);

/**
 * Takes every call off a lost server: each loses its room and, by afterServerLoss (domain/media-path), waits to be
 * placed again (another server is left), falls back to a mesh (small enough) or is stranded. Answers [{ callId, path, stranded }].
 */
export const loseServerScript = new LuaScript<{ server: string; sfuLeft: boolean; meshCapacity: number }>(String.raw`${prelude}
local displaced = {}
for _, callId in ipairs(redis.call('SMEMBERS', roomsOnKey(request.server))) do
  if redis.call('HGET', callKey(callId), 'server') == request.server then
    redis.call('HDEL', callKey(callId), 'server', 'room')
    local next = 'replace'
    if not request.sfuLeft then
      next = 'wait'
      if redis.call('LLEN', rosterKey(callId)) <= request.meshCapacity then next = 'mesh' end
    end
    if next == 'mesh' then redis.call('HSET', callKey(callId), 'path', 'mesh') end
    displaced[#displaced + 1] = { callId = callId, path = pathOf(callId), stranded = next == 'wait' }
  end
end
redis.call('DEL', roomsOnKey(request.server))
return cjson.encode(displaced)
`);
