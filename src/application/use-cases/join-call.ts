import { DEFAULT_GUEST_NAME, GuestName, CallPath, INITIAL_MEDIA, type ChatMessage, type Participant } from '../../domain/call';
import { assertValid } from '../../domain/errors';
import type { CallNotifier } from '../ports/call-notifier';
import type { Clock } from '../ports/clock';
import type { RoomStore } from '../ports/room-store';
import type { LeaveCall, LeaveCallResult } from './leave-call';

export interface JoinCallInput {
  participantId: string;
  callPath: string;
  /** The account behind the connection, when logged in: its name is the only name used. */
  account: { userId: string; name: string } | null;
  requestedName?: string;
}

export interface JoinCallResult {
  callId: string;
  self: Participant;
  participants: Participant[];
  history: ChatMessage[];
  /** The call this participant was in before, when joining moved them out of it. */
  previous: LeaveCallResult | null;
}

export class JoinCall {
  constructor(
    private readonly rooms: RoomStore,
    private readonly notifier: CallNotifier,
    private readonly clock: Clock,
    private readonly leaveCall: LeaveCall,
    private readonly maxParticipants: number,
  ) {}

  async execute(input: JoinCallInput): Promise<JoinCallResult> {
    assertValid({ path: CallPath.problem(input.callPath) });
    const callId = input.callPath;

    // One call per participant: leaving is a no-op for someone in no call.
    const left = await this.leaveCall.execute({ participantId: input.participantId });
    const previous = left.left ? left : null;

    const chosenName = input.account ? null : GuestName.from(input.requestedName);
    const guestName = input.account ? null : GuestName.within(chosenName ?? DEFAULT_GUEST_NAME, await this.rooms.participants(callId));
    const self: Participant = {
      id: input.participantId,
      name: input.account?.name ?? guestName ?? DEFAULT_GUEST_NAME,
      userId: input.account?.userId ?? null,
      unnamed: !input.account && chosenName === null,
      media: { ...INITIAL_MEDIA },
    };
    const participants = await this.rooms.join(callId, self, this.maxParticipants, this.clock.now());
    await this.notifier.attach(self.id, callId);
    this.notifier.toCall(callId, { type: 'user-joined', id: self.id, participants });

    const history = await this.rooms.chatHistory(callId, this.clock.now());
    for (const message of history) {
      this.notifier.toParticipant(self.id, { type: 'chat-message', message });
    }
    return { callId, self, participants, history, previous };
  }
}
