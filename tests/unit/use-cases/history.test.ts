import { InMemoryMeetingHistoryRepository } from '../../../src/adapters/persistence/memory/in-memory-meeting-history-repository';
import { AddHistory } from '../../../src/application/use-cases/add-history';
import { GetHistory } from '../../../src/application/use-cases/get-history';
import { expectCode } from '../../support/errors';
import { FakeClock, SequentialIds } from '../../support/fakes';

function setup() {
  const history = new InMemoryMeetingHistoryRepository();
  const clock = new FakeClock();
  return { clock, add: new AddHistory(history, new SequentialIds(), clock), get: new GetHistory(history) };
}

describe('AddHistory and GetHistory', () => {
  it('returns a user’s meetings newest first, trimmed, and only theirs', async () => {
    const s = setup();
    await s.add.execute({ userId: 'u1', meetingCode: ' first ' });
    s.clock.advance(1000);
    await s.add.execute({ userId: 'u1', meetingCode: 'second' });
    await s.add.execute({ userId: 'u2', meetingCode: 'other' });
    const entries = await s.get.execute({ userId: 'u1' });
    expect(entries.map((e) => e.meetingCode)).toEqual(['second', 'first']);
  });

  it('honours the limit and refuses one outside 1..200', async () => {
    const s = setup();
    for (let i = 0; i < 5; i += 1) {
      s.clock.advance(1);
      await s.add.execute({ userId: 'u1', meetingCode: `m${i}` });
    }
    expect((await s.get.execute({ userId: 'u1', limit: 2 })).map((e) => e.meetingCode)).toEqual(['m4', 'm3']);
    await expectCode(s.get.execute({ userId: 'u1', limit: 0 }), 'VALIDATION_FAILED');
    await expectCode(s.get.execute({ userId: 'u1', limit: 201 }), 'VALIDATION_FAILED');
  });

  it('refuses empty, over-long and unprintable meeting codes', async () => {
    const s = setup();
    await expectCode(s.add.execute({ userId: 'u1', meetingCode: '  ' }), 'VALIDATION_FAILED');
    await expectCode(s.add.execute({ userId: 'u1', meetingCode: 'x'.repeat(129) }), 'VALIDATION_FAILED');
    await expectCode(s.add.execute({ userId: 'u1', meetingCode: 'a\u0000b' }), 'VALIDATION_FAILED');
    await expect(s.add.execute({ userId: 'u1', meetingCode: 'x'.repeat(128) })).resolves.toMatchObject({ meetingCode: 'x'.repeat(128) });
  });
});
