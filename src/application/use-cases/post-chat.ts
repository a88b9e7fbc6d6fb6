import { ChatText, GuestName, type ChatMessage, type Participant } from '../../domain/call';
import { assertValid, DomainError } from '../../domain/errors';
import type { CallNotifier } from '../ports/call-notifier';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/id-generator';
import type { RoomStore } from '../ports/room-store';

export interface PostChatInput {
  participantId: string;
  text: string;
  /** What the client claims as sender; only a guest still without a name is named by it, once. */
  sender?: string;
  /** Some existing front ends render their own message only from the server's echo. */
  echoToSender: boolean;
}

export interface PostChatOptions {
  historyLimit: number;
}

export class PostChat {
  constructor(
    private readonly rooms: RoomStore,
    private readonly notifier: CallNotifier,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly options: PostChatOptions,
  ) {}

  async execute(input: PostChatInput): Promise<ChatMessage> {
    assertValid({ data: ChatText.problem(input.text) });
    const membership = await this.rooms.membership(input.participantId);
    if (!membership) throw new DomainError('NOT_IN_CALL', 'Join a call before chatting');
    const { callId } = membership;
    const self = await this.nameOnFirstUse(callId, membership.participant, input.sender);

    const message: ChatMessage = {
      id: this.ids.next(),
      text: input.text,
      sender: self.name,
      senderId: self.id,
      userId: self.userId,
      ts: this.clock.now(),
    };
    await this.rooms.appendChat(callId, message, this.options.historyLimit);
    this.notifier.toCall(callId, { type: 'chat-message', message }, input.echoToSender ? undefined : self.id);
    return message;
  }

  /** A guest who joined without a name takes the `sender` of its first chat as its name, for good. */
  private async nameOnFirstUse(callId: string, self: Participant, sender: string | undefined): Promise<Participant> {
    const chosen = self.unnamed ? GuestName.from(sender) : null;
    if (chosen === null) return self;
    const name = GuestName.within(chosen, await this.rooms.participants(callId));
    return (await this.rooms.nameGuest(self.id, name)) ?? self;
  }
}
