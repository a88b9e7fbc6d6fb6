import { ActiveSpeaker } from '../../src/web/active-speaker';
import { HOLD_MS } from '../../src/web/speaker-choice';

/** An ActiveSpeaker and what it said, with who may talk (microphone on, in the call) set by the test. */
function watch() {
  const changes: Array<string | null> = [];
  const speaker = new ActiveSpeaker((id) => changes.push(id));
  const allowed = new Set(['ann', 'bob']);
  return { speaker, changes, allowed, mayTalk: (id: string) => allowed.has(id) };
}

describe('ActiveSpeaker: measured levels until the SFU speaks, then the SFU', () => {
  it('follows measured levels while no talking event has come', () => {
    const { speaker, changes, mayTalk } = watch();
    speaker.sample(new Map([['ann', 0.3], ['bob', 0]]), 0, mayTalk);
    expect(changes).toEqual(['ann']);
  });

  it('takes the SFU’s word over levels once it has spoken', () => {
    const { speaker, changes, mayTalk } = watch();
    speaker.talkingChanged('bob', true);
    speaker.sample(new Map([['ann', 0.3], ['bob', 0]]), 0, mayTalk);
    expect(changes).toEqual(['bob']);
  });

  it('believes the SFU about someone whose media the page does not receive yet (a newcomer told who talks)', () => {
    const { speaker, changes, mayTalk } = watch();
    speaker.talkingChanged('ann', true);
    speaker.sample(new Map(), 0, mayTalk);
    speaker.sample(new Map([['ann', 0]]), 300, mayTalk);
    expect(changes).toEqual(['ann']);
    expect(speaker.speaker).toBe('ann');
  });

  it('ends the turn of a talker who muted or left, of whom the SFU says nothing more', () => {
    const { speaker, changes, allowed, mayTalk } = watch();
    speaker.talkingChanged('ann', true);
    speaker.sample(new Map([['ann', 0]]), 0, mayTalk);
    allowed.delete('ann');
    speaker.sample(new Map(), 300, mayTalk);
    allowed.add('ann');
    speaker.sample(new Map([['ann', 0]]), 300 + HOLD_MS + 1, mayTalk);
    expect(changes).toEqual(['ann', null]);
  });

  it('goes back to levels when the call leaves the SFU', () => {
    const { speaker, changes, mayTalk } = watch();
    speaker.talkingChanged('bob', true);
    speaker.sample(new Map([['ann', 0.3]]), 0, mayTalk);
    speaker.forgetTalking();
    speaker.sample(new Map([['ann', 0.3]]), HOLD_MS + 1, mayTalk);
    expect(changes).toEqual(['bob', 'ann']);
  });
});
