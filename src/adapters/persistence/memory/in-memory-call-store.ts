import type { Clock } from '../../../application/ports/clock';
import type {
  Admission,
  AdmitRequest,
  ChatDraft,
  EndedCall,
  Eviction,
  HostRequest,
  JoinRequest,
  KickRequest,
  JoinOutcome,
  LeaveResult,
  Membership,
  MediaMembership,
  DisplacedCall,
  CallMediaChange,
  MuteRequest,
  ResumeRequest,
  ResumeResult,
  NodeStanding,
  CallStore,
  SignalRoute,
} from '../../../application/ports/call-store';
import {
  banKeyOf,
  banKeysOf,
  chatMessageBytes,
  GuestName,
  INITIAL_CALL_OPTIONS,
  type CallOptions,
  type ChatMessage,
  type ForcedKind,
  type GuestNaming,
  type MediaState,
  type Participant,
  type ParticipantDraft,
  type RoleChange,
} from '../../../domain/call';
import { entryRefusal, placement, successor } from '../../../domain/call-rules';
import { DomainError } from '../../../domain/errors';
import { refusal, type HostAction } from '../../../domain/host-rules';
import { lobbyEntryOf, type LobbyEntry } from '../../../domain/lobby';
import { afterServerLoss, leastLoaded, mediaEntry, type MediaMode, type MediaPath, type RoomPlacement } from '../../../domain/media-path';
import { DeadlineHeap } from './deadline-heap';

interface CallRecord {
  participants: Map<string, Participant>;
  chat: ChatMessage[];
  startedAt: Date;
  peakSize: number;
  options: CallOptions;
  /** Null for an ad-hoc call, whose bans end with it. */
  ownerId: string | null;
  /** The media mode the call started with, for good. */
  mode: MediaMode;
  path: MediaPath;
  room: RoomPlacement | null;
}

/** A join the lobby holds: what admitting it completes. */
interface Waiter {
  participant: ParticipantDraft;
  naming: GuestNaming | null;
  resumeToken: string | null;
  connectionId: string;
}

/** A participant joined with a resume token: the token, the connection it is on, and its grace if dropped. */
interface ResumeEntry {
  token: string;
  connectionId: string;
  graceUntil: number | null;
}

interface ParkedChat {
  messages: ChatMessage[];
  bytes: number;
  expiresAt: number;
}

export interface InMemoryCallStoreOptions {
  /** How long an emptied call's chat is kept. */
  historyTtlMs: number;
  /** How long the code of an ended ad-hoc call stays in use (codeInUse). */
  codeHoldMs: number;
  /** Bytes of chat (as counted by chatMessageBytes) kept across all calls; the oldest goes first past it. */
  chatMemoryLimitBytes: number;
  clock: Clock;
}

/** Codes of ended ad-hoc calls held at most: past it the oldest hold goes first, so memory stays bounded. */
export const MAX_HELD_CODES = 20_000;

/**
 * Maps, and a heap of grace deadlines: every operation touches a constant number of entries (expireGrace, those that
 * expired, each in O(log n)), never all calls. Synchronous inside, so each method is atomic on this node.
 * Chat of an emptied call is parked with an expiry; since the TTL is fixed, the parked map is in expiry order:
 * one timer, armed for the first entry, drops histories when they expire, and walks only those that did.
 * Past the chat memory limit, parked histories go first (oldest first), then the oldest messages of live calls
 * (those of the call whose chat began first).
 */
export class InMemoryCallStore implements CallStore {
  private readonly calls = new Map<string, CallRecord>();
  private readonly callOfParticipant = new Map<string, string>();
  private readonly parked = new Map<string, ParkedChat>();
  private readonly resumable = new Map<string, ResumeEntry>();
  /**
   * Suspensions by deadline, so expireGrace walks only what expired. Graces may differ between calls to suspend, so
   * insertion order is not deadline order. Resuming, leaving or suspending again leaves the old item behind; it is
   * stale once its entry is no longer the participant's or has another deadline, and is skipped when popped.
   */
  private readonly graceDeadlines = new DeadlineHeap<{ participantId: string; entry: ResumeEntry }>();
  private readonly participantOfToken = new Map<string, string>();
  /** Ban keys by call: an owned meeting's stay after its call ends, an ad-hoc call's go with it. */
  private readonly bans = new Map<string, Set<string>>();
  /** By call, the address key banned with each banned account's key, which unban lifts with it. */
  private readonly bannedAddresses = new Map<string, Map<string, string>>();
  /** Codes of ended ad-hoc calls until when they stay in use (store-clock ms); the hold is fixed, so in expiry order. */
  private readonly heldCodes = new Map<string, number>();
  /** Live calls that hold chat, in the order their chat began. */
  private readonly chatty = new Set<string>();
  /** Waiting lists by call code, in arrival order; they outlive the call. */
  private readonly lobbies = new Map<string, Map<string, Waiter>>();
  private readonly lobbyOfParticipant = new Map<string, string>();
  /** Calls placed on each media server, by its name. */
  private readonly roomsOn = new Map<string, Set<string>>();
  private bytes = 0;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: InMemoryCallStoreOptions) {}

  /** Bytes of chat held now, across live and parked calls. */
  get chatBytes(): number {
    return this.bytes;
  }

  async join(request: JoinRequest): Promise<JoinOutcome> {
    const { callId, ownerId } = request;
    const now = this.options.clock.now();
    this.dropExpired(now);
    const current = this.callOfParticipant.get(request.participant.id);
    const existing = this.calls.get(callId);
    const alreadyIn = current === callId;
    // A live call keeps the owner it started with: a meeting created meanwhile grants nothing over it.
    const owner = existing ? existing.ownerId : ownerId;
    const isOwner = owner !== null && request.participant.userId === owner;
    const media = mediaEntry({
      ...request.media,
      mode: existing?.mode ?? request.media.mode,
      current: existing?.path ?? null,
      size: (existing?.participants.size ?? 0) + (alreadyIn ? 0 : 1),
      alreadyIn,
      meshOnlyPresent: existing !== undefined && [...existing.participants.values()].some((p) => p.meshOnly && p.id !== request.participant.id),
      joinerMeshOnly: request.participant.meshOnly,
    });
    const capacity = 'refused' in media ? Infinity : media.capacity;
    const refused = entryRefusal({
      alreadyIn,
      banned: this.bans.get(callId)?.has(request.participant.banKey) === true,
      live: existing !== undefined,
      locked: existing?.options.locked === true,
      isOwner,
      size: existing?.participants.size ?? 0,
      capacity,
    });
    if (refused === 'full') throw new DomainError('ROOM_FULL', `This call is full (${capacity} participants)`);
    if (refused) throw refusal(refused);
    if ('refused' in media) throw refusal(media.refused);
    this.withdraw(request.participant.id);
    const previous = current === undefined ? null : this.leaveNow(request.participant.id, now);
    const hostNow = existing ? hostOf(existing) : undefined;
    const placed = placement({
      alreadyIn,
      lobbyOn: existing ? existing.options.lobby : request.lobbyByDefault === true,
      isOwner,
      owned: owner !== null,
      hasHost: hostNow !== undefined,
      loggedIn: request.participant.userId !== null,
    });
    if (placed === 'wait') {
      const lobby = this.lobbies.get(callId) ?? new Map<string, Waiter>();
      lobby.set(request.participant.id, {
        participant: { ...request.participant },
        naming: request.naming,
        resumeToken: request.resumeToken,
        connectionId: request.connectionId,
      });
      this.lobbies.set(callId, lobby);
      this.lobbyOfParticipant.set(request.participant.id, callId);
      return { waiting: true, knock: lobbyEntryOf(request.participant), hostId: hostNow?.id ?? null, previous };
    }

    let call = this.calls.get(callId);
    if (!call) {
      const options = { ...INITIAL_CALL_OPTIONS, lobby: request.lobbyByDefault === true };
      call = { participants: new Map(), chat: this.unpark(callId), startedAt: now, peakSize: 0, options, ownerId, mode: request.media.mode, path: 'mesh', room: null };
      this.calls.set(callId, call);
      // The live call holds its code now; its end holds it again if it is ad hoc.
      this.heldCodes.delete(callId);
      if (call.chat.length > 0) this.chatty.add(callId);
    }
    const self: Participant = {
      ...request.participant,
      media: { ...request.participant.media },
      forcedOff: { ...request.participant.forcedOff },
      joinedAt: now,
      connected: true,
    };
    if (request.naming) self.name = GuestName.settle(request.naming, call.participants.values());
    const host = hostOf(call);
    const roleChanges: RoleChange[] = [];
    self.role = placed;
    if (placed === 'host') {
      if (host && host.id !== self.id) {
        host.role = 'member';
        roleChanges.push({ id: host.id, role: 'member' });
      }
    }
    call.participants.set(self.id, self);
    call.peakSize = Math.max(call.peakSize, call.participants.size);
    this.callOfParticipant.set(self.id, callId);
    this.keepResumable(self.id, request.resumeToken, request.connectionId);
    // Decided before anyone moved; the call (new, or left by the joiner's move) takes it now.
    return {
      media: takePath(call, media.path),
      self: copy(self),
      participants: roster(call),
      history: call.chat.map((m) => ({ ...m })),
      previous,
      roleChanges,
      options: { ...call.options },
      lobby: self.role === 'host' ? this.lobbyOf(callId) : [],
    };
  }

  async leave(participantId: string, connectionId?: string): Promise<LeaveResult | null> {
    const now = this.options.clock.now();
    this.dropExpired(now);
    const entry = this.resumable.get(participantId);
    if (connectionId !== undefined && entry && entry.connectionId !== connectionId) return null;
    this.withdraw(participantId);
    return this.leaveNow(participantId, now);
  }

  async routeSignal(fromId: string, toId: string): Promise<SignalRoute> {
    const fromCall = this.callOfParticipant.get(fromId);
    if (fromCall === undefined) return 'sender-not-in-call';
    return fromId !== toId && this.callOfParticipant.get(toId) === fromCall ? 'deliver' : 'not-in-same-call';
  }

  async postChat(participantId: string, draft: ChatDraft, limit: number): Promise<{ callId: string; message: ChatMessage } | null> {
    const found = this.find(participantId);
    if (!found) return null;
    const { callId, call, participant } = found;
    if (participant.unnamed && draft.naming) {
      participant.name = GuestName.settle(draft.naming, call.participants.values());
      participant.nameKey = draft.naming.key;
      participant.unnamed = false;
    }
    const message: ChatMessage = {
      id: draft.id,
      text: draft.text,
      sender: participant.name,
      senderId: participant.id,
      userId: participant.userId,
      ts: this.options.clock.now(),
    };
    call.chat.push(message);
    this.bytes += chatMessageBytes(message);
    this.chatty.add(callId);
    while (call.chat.length > limit) this.dropOldestOf(callId, call);
    this.keepWithinMemoryLimit();
    return { callId, message: { ...message } };
  }

  async setMedia(participantId: string, change: Partial<MediaState>): Promise<Membership | null> {
    const found = this.find(participantId);
    if (!found) return null;
    const forced = FORCED_KINDS.find((kind) => change[kind] === true && found.participant.forcedOff[kind]);
    if (forced) throw refusal(`forced-${forced}`);
    found.participant.media = { ...found.participant.media, ...change };
    return { callId: found.callId, participant: copy(found.participant) };
  }

  async kick(request: KickRequest): Promise<LeaveResult> {
    const { callId, target } = this.hostAndTarget(request, 'kick');
    if (request.ban) {
      const bans = this.bans.get(callId) ?? new Set<string>();
      for (const key of banKeysOf(target)) bans.add(key);
      this.bans.set(callId, bans);
      if (target.banKey !== target.addressBanKey) {
        const addresses = this.bannedAddresses.get(callId) ?? new Map<string, string>();
        addresses.set(target.banKey, target.addressBanKey);
        this.bannedAddresses.set(callId, addresses);
      }
    }
    const left = this.leaveNow(target.id, this.options.clock.now());
    if (!left) throw new Error(`kick: ${target.id} was in ${callId} but could not leave it`);
    return left;
  }

  async mute(request: MuteRequest): Promise<MediaMembership> {
    const { callId, call, target } = this.hostAndTarget(request, 'mute');
    target.media = { ...target.media, [request.kind]: false };
    if (request.force !== undefined) target.forcedOff = { ...target.forcedOff, [request.kind]: request.force };
    return { callId, participant: copy(target), path: call.path, room: call.room && { ...call.room } };
  }

  async setCallOptions(byId: string, change: Partial<CallOptions>): Promise<{ callId: string; options: CallOptions }> {
    const { callId, call } = this.hostCall(byId, 'options');
    call.options = { ...call.options, ...definedOnly(change) };
    return { callId, options: { ...call.options } };
  }

  async transferHost(request: HostRequest): Promise<{ callId: string; roleChanges: RoleChange[] }> {
    const { callId, host, target } = this.hostAndTarget(request, 'transfer');
    if (target.userId === null) throw refusal('guest-host');
    host.role = 'member';
    target.role = 'host';
    return { callId, roleChanges: [{ id: target.id, role: 'host', lobby: this.lobbyOf(callId) }, { id: host.id, role: 'member' }] };
  }

  async endCall(byId: string): Promise<EndedCall> {
    const { callId, call } = this.hostCall(byId, 'end');
    const removed = roster(call);
    for (const participant of removed) {
      this.callOfParticipant.delete(participant.id);
      this.forgetResume(participant.id);
    }
    for (const message of call.chat) this.bytes -= chatMessageBytes(message);
    this.calls.delete(callId);
    this.chatty.delete(callId);
    if (call.ownerId === null) this.endAdHoc(callId, this.options.clock.now());
    const turnedAway = [...(this.lobbies.get(callId)?.keys() ?? [])];
    for (const id of turnedAway) this.withdraw(id);
    const room = this.releaseRoom(callId, call);
    return { callId, removed, ended: { callId, startedAt: call.startedAt, endedAt: this.options.clock.now(), peakSize: call.peakSize }, turnedAway, room };
  }

  async unban(byId: string, userId: string): Promise<{ callId: string; lifted: boolean }> {
    const { callId } = this.hostCall(byId, 'unban');
    const key = banKeyOf(userId, '');
    const address = this.bannedAddresses.get(callId)?.get(key);
    this.bannedAddresses.get(callId)?.delete(key);
    if (address !== undefined) this.bans.get(callId)?.delete(address);
    const lifted = this.bans.get(callId)?.delete(key) ?? false;
    return { callId, lifted };
  }

  async suspend(participantId: string, connectionId: string, graceMs: number): Promise<Membership | null> {
    this.withdraw(participantId);
    const found = this.find(participantId);
    const entry = this.resumable.get(participantId);
    if (!found || !entry || entry.connectionId !== connectionId) return null;
    const graceUntil = this.options.clock.now().getTime() + graceMs;
    if (entry.graceUntil !== graceUntil) {
      entry.graceUntil = graceUntil;
      this.graceDeadlines.push(graceUntil, { participantId, entry });
      this.dropStaleDeadlines();
    }
    found.participant.connected = false;
    return { callId: found.callId, participant: copy(found.participant) };
  }

  async resume(request: ResumeRequest): Promise<ResumeResult | null> {
    const now = this.options.clock.now();
    const participantId = this.participantOfToken.get(request.token);
    if (participantId === undefined) return null;
    const entry = this.resumable.get(participantId);
    if (!entry || this.find(participantId)?.callId !== request.callId) return null;
    if (entry.graceUntil !== null && entry.graceUntil <= now.getTime()) return null;
    let previous: LeaveResult | null = null;
    if (request.participantId !== participantId) {
      this.withdraw(request.participantId);
      previous = this.leaveNow(request.participantId, now);
    }
    const found = this.find(participantId);
    if (!found) return null;
    const replaced = found.participant.connected && entry.connectionId !== request.connectionId ? entry.connectionId : null;
    this.participantOfToken.delete(request.token);
    this.participantOfToken.set(request.nextToken, participantId);
    entry.token = request.nextToken;
    entry.connectionId = request.connectionId;
    entry.graceUntil = null;
    found.participant.connected = true;
    const { callId, call } = found;
    return {
      callId,
      self: copy(found.participant),
      participants: roster(call),
      history: call.chat.map((m) => ({ ...m })),
      options: { ...call.options },
      previous,
      replaced,
      path: call.path,
    };
  }

  async expireGrace(): Promise<Eviction[]> {
    const now = this.options.clock.now();
    const evictions: Eviction[] = [];
    for (let due = this.graceDeadlines.popDue(now.getTime()); due; due = this.graceDeadlines.popDue(now.getTime())) {
      const { participantId, entry } = due.item;
      if (!this.suspendedUntil(participantId, entry, due.at)) continue;
      const left = this.leaveNow(participantId, now);
      if (left) evictions.push({ participantId, left });
    }
    return evictions;
  }

  async admit(request: AdmitRequest): Promise<Admission> {
    const { callId, call } = this.hostCall(request.byId, 'admit');
    const waiter = this.lobbies.get(callId)?.get(request.targetId);
    if (!waiter) throw refusal('not-waiting');
    const media = mediaEntry({
      ...request.media,
      mode: call.mode,
      current: call.path,
      size: call.participants.size + 1,
      alreadyIn: false,
      meshOnlyPresent: [...call.participants.values()].some((p) => p.meshOnly),
      joinerMeshOnly: waiter.participant.meshOnly,
    });
    if ('refused' in media) throw refusal(media.refused);
    if (call.participants.size >= media.capacity) throw new DomainError('ROOM_FULL', `This call is full (${media.capacity} participants)`);
    this.withdraw(request.targetId);
    const self: Participant = { ...waiter.participant, role: 'member', joinedAt: this.options.clock.now(), connected: true };
    if (waiter.naming) self.name = GuestName.settle(waiter.naming, call.participants.values());
    call.participants.set(self.id, self);
    call.peakSize = Math.max(call.peakSize, call.participants.size);
    this.callOfParticipant.set(self.id, callId);
    this.keepResumable(self.id, waiter.resumeToken, waiter.connectionId);
    return {
      callId,
      self: copy(self),
      participants: roster(call),
      history: call.chat.map((m) => ({ ...m })),
      options: { ...call.options },
      resumeToken: waiter.resumeToken,
      media: takePath(call, media.path),
    };
  }

  async deny(request: HostRequest): Promise<{ callId: string }> {
    const { callId } = this.hostCall(request.byId, 'deny');
    if (!this.lobbies.get(callId)?.has(request.targetId)) throw refusal('not-waiting');
    this.withdraw(request.targetId);
    return { callId };
  }

  async mediaOf(participantId: string): Promise<MediaMembership | null> {
    const found = this.find(participantId);
    if (!found) return null;
    return { callId: found.callId, participant: copy(found.participant), path: found.call.path, room: found.call.room && { ...found.call.room } };
  }

  async placeRoom(participantId: string, offer: { servers: string[]; key: string }): Promise<MediaMembership | null> {
    const found = this.find(participantId);
    if (!found) return null;
    const { callId, call } = found;
    if (call.path === 'sfu' && call.room === null) {
      const server = leastLoaded(offer.servers, (name) => this.roomsOn.get(name)?.size ?? 0);
      if (server !== null) {
        call.room = { server, key: offer.key };
        const calls = this.roomsOn.get(server) ?? new Set<string>();
        calls.add(callId);
        this.roomsOn.set(server, calls);
      }
    }
    return this.mediaOf(participantId);
  }

  async loseServer(request: { server: string; sfuLeft: boolean; meshCapacity: number }): Promise<DisplacedCall[]> {
    const displaced: DisplacedCall[] = [];
    for (const callId of this.roomsOn.get(request.server) ?? []) {
      const call = this.calls.get(callId);
      if (!call) continue;
      call.room = null;
      const next = afterServerLoss({ sfuLeft: request.sfuLeft, size: call.participants.size, meshCapacity: request.meshCapacity });
      if (next === 'mesh') call.path = 'mesh';
      displaced.push({ callId, path: call.path, stranded: next === 'wait' });
    }
    this.roomsOn.delete(request.server);
    return displaced;
  }

  // This process is the only node that can see this store: it cannot find itself dead.
  async heartbeat(): Promise<NodeStanding> {
    return 'alive';
  }

  async evictDeadNodes(): Promise<Eviction[]> {
    return [];
  }

  async countParticipants(callId: string): Promise<number> {
    return this.calls.get(callId)?.participants.size ?? 0;
  }

  async codeInUse(callId: string): Promise<boolean> {
    this.dropExpiredHolds(this.options.clock.now().getTime());
    return this.calls.has(callId) || this.heldCodes.has(callId);
  }

  private leaveNow(participantId: string, now: Date): LeaveResult | null {
    const callId = this.callOfParticipant.get(participantId);
    const call = callId === undefined ? undefined : this.calls.get(callId);
    const leaver = call?.participants.get(participantId);
    if (callId === undefined || !call || !leaver) return null;
    this.forgetResume(participantId);
    this.callOfParticipant.delete(participantId);
    call.participants.delete(participantId);
    const left = { callId, participant: copy(leaver), at: now, room: call.room && { ...call.room } };
    if (call.participants.size > 0) {
      const roleChanges: RoleChange[] = [];
      const next = leaver.role === 'host' ? successor(call.participants.values()) : undefined;
      if (next) {
        next.role = 'host';
        roleChanges.push({ id: next.id, role: 'host', lobby: this.lobbyOf(callId) });
      }
      return { ...left, remaining: roster(call), ended: null, roleChanges };
    }

    this.calls.delete(callId);
    this.chatty.delete(callId);
    this.releaseRoom(callId, call);
    if (call.ownerId === null) this.endAdHoc(callId, now);
    if (call.chat.length > 0) this.park(callId, call.chat, now.getTime() + this.options.historyTtlMs);
    return { ...left, remaining: [], ended: { callId, startedAt: call.startedAt, endedAt: now, peakSize: call.peakSize }, roleChanges: [] };
  }

  /** An ended call's room no longer counts against its server; answers it, to be closed. */
  private releaseRoom(callId: string, call: CallRecord): RoomPlacement | null {
    if (call.room === null) return null;
    const calls = this.roomsOn.get(call.room.server);
    calls?.delete(callId);
    if (calls?.size === 0) this.roomsOn.delete(call.room.server);
    return { ...call.room };
  }

  /** An ad-hoc call's bans go with it; its code stays in use for the hold. */
  private endAdHoc(callId: string, now: Date): void {
    this.bans.delete(callId);
    this.bannedAddresses.delete(callId);
    const until = now.getTime() + this.options.codeHoldMs;
    this.dropExpiredHolds(now.getTime());
    this.heldCodes.delete(callId);
    this.heldCodes.set(callId, until);
    if (this.heldCodes.size > MAX_HELD_CODES) {
      const oldest = this.heldCodes.keys().next().value;
      if (oldest !== undefined) this.heldCodes.delete(oldest);
    }
  }

  private dropExpiredHolds(nowMs: number): void {
    for (const [code, until] of this.heldCodes) {
      if (until > nowMs) return;
      this.heldCodes.delete(code);
    }
  }

  /** Whether a deadline item still stands: its entry is the participant's and is suspended until then. */
  private suspendedUntil(participantId: string, entry: ResumeEntry, at: number): boolean {
    return this.resumable.get(participantId) === entry && entry.graceUntil === at;
  }

  /**
   * Stale items wait in the heap until their deadline; past twice the resumable participants (each has at most one
   * live item), they are dropped in one pass, so memory stays bounded and the pass is paid for by the pushes before.
   */
  private dropStaleDeadlines(): void {
    if (this.graceDeadlines.size <= 2 * this.resumable.size + 64) return;
    this.graceDeadlines.retain((at, { participantId, entry }) => this.suspendedUntil(participantId, entry, at));
  }

  private forgetResume(participantId: string): void {
    const entry = this.resumable.get(participantId);
    if (entry) this.participantOfToken.delete(entry.token);
    this.resumable.delete(participantId);
  }

  /** Takes the participant off the waiting list it is on, if any. */
  private withdraw(participantId: string): void {
    const callId = this.lobbyOfParticipant.get(participantId);
    if (callId === undefined) return;
    this.lobbyOfParticipant.delete(participantId);
    const lobby = this.lobbies.get(callId);
    lobby?.delete(participantId);
    if (lobby?.size === 0) this.lobbies.delete(callId);
  }

  /** A participant joined (or admitted) with a resume token: from now on a drop leaves it to resume. */
  private keepResumable(participantId: string, token: string | null, connectionId: string): void {
    if (token === null) return;
    this.resumable.set(participantId, { token, connectionId, graceUntil: null });
    this.participantOfToken.set(token, participantId);
  }

  private lobbyOf(callId: string): LobbyEntry[] {
    return [...(this.lobbies.get(callId)?.values() ?? [])].map((waiter) => lobbyEntryOf(waiter.participant));
  }

  /** The host's call, for a host action. */
  private hostCall(byId: string, action: HostAction): { callId: string; call: CallRecord; host: Participant } {
    const found = this.find(byId);
    if (!found) throw refusal('not-in-call');
    if (found.participant.role !== 'host') throw refusal('not-host', action);
    return { callId: found.callId, call: found.call, host: found.participant };
  }

  private hostAndTarget(request: HostRequest, action: HostAction): { callId: string; call: CallRecord; host: Participant; target: Participant } {
    const found = this.hostCall(request.byId, action);
    const target = request.targetId === request.byId ? undefined : found.call.participants.get(request.targetId);
    if (!target) throw refusal('no-target');
    return { ...found, target };
  }

  /** The stored (mutable) participant and their call; callers copy before handing it out. */
  private find(participantId: string): { callId: string; call: CallRecord; participant: Participant } | null {
    const callId = this.callOfParticipant.get(participantId);
    const call = callId === undefined ? undefined : this.calls.get(callId);
    const participant = call?.participants.get(participantId);
    return callId !== undefined && call && participant ? { callId, call, participant } : null;
  }

  private park(callId: string, messages: ChatMessage[], expiresAt: number): void {
    this.parked.set(callId, { messages, bytes: messages.reduce((sum, m) => sum + chatMessageBytes(m), 0), expiresAt });
    this.armExpiry();
  }

  private unpark(callId: string): ChatMessage[] {
    const parked = this.parked.get(callId);
    this.parked.delete(callId);
    return parked?.messages ?? [];
  }

  private dropParked(callId: string, parked: ParkedChat): void {
    this.parked.delete(callId);
    this.bytes -= parked.bytes;
  }

  private dropOldestOf(callId: string, call: CallRecord): void {
    const oldest = call.chat.shift();
    if (oldest) this.bytes -= chatMessageBytes(oldest);
    if (call.chat.length === 0) this.chatty.delete(callId);
  }

  private keepWithinMemoryLimit(): void {
    while (this.bytes > this.options.chatMemoryLimitBytes) {
      const [parkedId, parked] = this.parked.entries().next().value ?? [];
      if (parkedId !== undefined && parked) {
        this.dropParked(parkedId, parked);
        continue;
      }
      const callId = this.chatty.values().next().value;
      const call = callId === undefined ? undefined : this.calls.get(callId);
      if (callId === undefined || !call) return;
      this.dropOldestOf(callId, call);
    }
  }

  private dropExpired(now: Date): void {
    for (const [callId, parked] of this.parked) {
      if (parked.expiresAt > now.getTime()) return;
      this.dropParked(callId, parked);
    }
  }

  /** One timer at a time, for the first parked history; when it fires it drops what expired and re-arms. */
  private armExpiry(): void {
    if (this.expiryTimer) return;
    const first = this.parked.values().next().value;
    if (!first) return;
    this.expiryTimer = setTimeout(
      () => {
        this.expiryTimer = undefined;
        this.dropExpired(this.options.clock.now());
        this.armExpiry();
      },
      Math.max(0, first.expiresAt - this.options.clock.now().getTime()),
    );
    this.expiryTimer.unref();
  }
}

const FORCED_KINDS: ForcedKind[] = ['audio', 'video'];

/** The call takes the path a join or an admission decided: moved when that puts a mesh on the SFU. */
function takePath(call: CallRecord, path: MediaPath): CallMediaChange {
  // A call that starts on the SFU did not move: its first participant learns the path from its join.
  const moved = call.path !== 'sfu' && path === 'sfu' && call.participants.size > 1;
  call.path = path;
  return { path, moved };
}

function copy(participant: Participant): Participant {
  return { ...participant, media: { ...participant.media }, forcedOff: { ...participant.forcedOff }, joinedAt: new Date(participant.joinedAt) };
}

/** A partial change without its undefined fields, which mean "as it was". */
function definedOnly(change: Partial<CallOptions>): Partial<CallOptions> {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
}

function hostOf(call: CallRecord): Participant | undefined {
  for (const participant of call.participants.values()) if (participant.role === 'host') return participant;
  return undefined;
}

function roster(call: CallRecord): Participant[] {
  return [...call.participants.values()].map(copy);
}
