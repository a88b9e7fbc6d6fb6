import { InMemoryCallStore } from '../../../src/adapters/persistence/memory/in-memory-call-store';
import { SendReaction } from '../../../src/application/use-cases/send-reaction';
import { isReaction, REACTIONS } from '../../../src/domain/reaction';
import { expectCode } from '../../support/errors';
import { FakeClock, RecordingNotifier } from '../../support/fakes';
import { meshMedia, person } from '../../support/participants';

describe('SendReaction', () => {
  const setup = async () => {
    const calls = new InMemoryCallStore({ historyTtlMs: 60_000, codeHoldMs: 60_000, chatMemoryLimitBytes: 1024 * 1024, clock: new FakeClock() });
    for (const [id, callId] of [['a', 'c1'], ['b', 'c1'], ['x', 'c2']] as const) {
      await calls.join({ callId, participant: person(id), naming: null, media: meshMedia(), ownerId: null, resumeToken: null, connectionId: id });
    }
    const notifier = new RecordingNotifier();
    for (const [id, callId] of [['a', 'c1'], ['b', 'c1'], ['x', 'c2']] as const) await notifier.attach(id, callId);
    return { calls, notifier, send: new SendReaction(calls, notifier) };
  };

  it('tells everyone in the sender’s call, the sender included', async () => {
    const { notifier, send } = await setup();
    await send.execute({ participantId: 'a', reaction: '🎉' });
    const event = { type: 'reaction', id: 'a', reaction: '🎉' };
    expect(notifier.delivered).toEqual([
      { to: 'a', event },
      { to: 'b', event },
    ]);
  });

  it('refuses someone in no call with NOT_IN_CALL', async () => {
    const { notifier, send } = await setup();
    await expectCode(send.execute({ participantId: 'nobody', reaction: '👍' }), 'NOT_IN_CALL');
    expect(notifier.delivered).toEqual([]);
  });
});

describe('reactions', () => {
  it.each([...REACTIONS])('%s is one', (reaction) => expect(isReaction(reaction)).toBe(true));
  it.each(['', '👍🏽', 'x', '<b>', null, 1])('%p is not', (value) => expect(isReaction(value)).toBe(false));
});
