import { ChatText, GuestName, type ChatMessage } from '../../domain/call';
import { assertValid, DomainError } from '../../domain/errors';
import type { CallNotifier } from '../ports/call-notifier';
import type { IdGenerator } from '../ports/id-generator';
import type { CallChat } from '../ports/call-store';

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
    private readonly calls: CallChat,
    private readonly notifier: CallNotifier,
    private readonly ids: IdGenerator,
    private readonly options: PostChatOptions,
  ) {}

  async execute(input: PostChatInput): Promise<ChatMessage> {
    assertValid({ data: ChatText.problem(input.text) });
    const chosen = GuestName.from(input.sender);
    const draft = { id: this.ids.next(), text: input.text, naming: chosen === null ? null : GuestName.naming(chosen) };
    const posted = await this.calls.postChat(input.participantId, draft, this.options.historyLimit);
    if (!posted) throw new DomainError('NOT_IN_CALL', 'Join a call before chatting');
    const { callId, message } = posted;
    this.notifier.toCall(callId, { type: 'chat-message', message }, input.echoToSender ? undefined : input.participantId);
    return message;
  }
}
