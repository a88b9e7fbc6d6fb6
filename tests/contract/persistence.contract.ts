import type { AttendanceRepository } from '../../src/application/ports/attendance-repository';
import type { MeetingHistoryRepository } from '../../src/application/ports/meeting-history-repository';
import type { MeetingRepository } from '../../src/application/ports/meeting-repository';
import type { SessionRepository } from '../../src/application/ports/session-repository';
import type { UserRepository } from '../../src/application/ports/user-repository';
import type { DatabaseHealth } from '../../src/application/ports/database-health';
import { expectCode } from '../support/errors';
import type { MediaMode } from '../../src/domain/media-path';

export interface PersistenceUnderTest {
  users: UserRepository;
  sessions: SessionRepository;
  history: MeetingHistoryRepository;
  attendance: AttendanceRepository;
  meetings: MeetingRepository;
  health: DatabaseHealth;
}

/** Every persistence adapter must pass this suite unchanged. `open` gives a fresh, empty store per test. */
export function persistenceContract(
  open: () => Promise<PersistenceUnderTest>,
  close: (store: PersistenceUnderTest) => Promise<void> = async () => {},
): void {
  let store: PersistenceUnderTest;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await close(store);
  });

  const user = (id: string, username: string) => ({
    id,
    name: `Name ${id}`,
    username,
    passwordHash: `$2b$04$hash-of-${id}`,
    createdAt: new Date('2026-01-01T00:00:00.000Z'),
  });

  describe('UserRepository', () => {
    it('returns what was added, by id and by username in any case', async () => {
      await store.users.add(user('u1', 'Ann.Lee'));
      expect(await store.users.findById('u1')).toEqual(user('u1', 'Ann.Lee'));
      expect(await store.users.findByUsername('ann.lee')).toEqual(user('u1', 'Ann.Lee'));
      expect(await store.users.findByUsername('ANN.LEE')).toEqual(user('u1', 'Ann.Lee'));
    });

    it('returns null when missing', async () => {
      expect(await store.users.findById('nobody')).toBeNull();
      expect(await store.users.findByUsername('nobody')).toBeNull();
    });

    it('throws USERNAME_TAKEN for a duplicate username in another case and keeps the first', async () => {
      await store.users.add(user('u1', 'ann'));
      await expectCode(store.users.add(user('u2', 'ANN')), 'USERNAME_TAKEN');
      expect(await store.users.findById('u2')).toBeNull();
      expect((await store.users.findByUsername('ann'))?.id).toBe('u1');
    });

    it('treats query-like strings as plain values', async () => {
      await store.users.add(user('u1', 'ann'));
      expect(await store.users.findByUsername('{"$ne":null}')).toBeNull();
      expect(await store.users.findByUsername("' OR 1=1 --")).toBeNull();
    });
  });

  describe('SessionRepository', () => {
    const now = new Date('2026-01-01T12:00:00.000Z');
    const session = (id: string, expiresInMs: number) => ({
      id,
      userId: 'u1',
      createdAt: now,
      expiresAt: new Date(now.getTime() + expiresInMs),
      revokedAt: null,
    });

    it('finds an active session', async () => {
      await store.sessions.add(session('s1', 60_000));
      expect(await store.sessions.findActive('s1', now)).toEqual(session('s1', 60_000));
    });

    it('returns null when missing, expired or revoked', async () => {
      await store.sessions.add(session('s1', 60_000));
      await store.sessions.add(session('s2', 60_000));
      expect(await store.sessions.findActive('missing', now)).toBeNull();
      expect(await store.sessions.findActive('s1', new Date(now.getTime() + 60_000))).toBeNull();
      await store.sessions.revoke('s2', now);
      expect(await store.sessions.findActive('s2', now)).toBeNull();
    });

    it('revoking a missing session is not an error', async () => {
      await expect(store.sessions.revoke('missing', now)).resolves.toBeUndefined();
    });

    it('deletes only expired sessions and says how many', async () => {
      await store.sessions.add(session('old', 1_000));
      await store.sessions.add(session('new', 120_000));
      expect(await store.sessions.deleteExpired(new Date(now.getTime() + 60_000))).toBe(1);
      expect(await store.sessions.findActive('new', now)).not.toBeNull();
      expect(await store.sessions.findActive('old', now)).toBeNull();
    });
  });

  describe('MeetingHistoryRepository', () => {
    const entry = (id: string, userId: string, minute: number) => ({
      id,
      userId,
      meetingCode: `code-${id}`,
      date: new Date(Date.UTC(2026, 0, 1, 0, minute)),
    });

    it('lists a user’s entries newest first, up to the limit, without other users’', async () => {
      await store.history.add(entry('a', 'u1', 1));
      await store.history.add(entry('b', 'u1', 3));
      await store.history.add(entry('c', 'u1', 2));
      await store.history.add(entry('d', 'u2', 4));
      expect(await store.history.listByUser('u1', 10)).toEqual([entry('b', 'u1', 3), entry('c', 'u1', 2), entry('a', 'u1', 1)]);
      expect((await store.history.listByUser('u1', 2)).map((e) => e.id)).toEqual(['b', 'c']);
    });

    it('returns [] for a user with no history', async () => {
      expect(await store.history.listByUser('nobody', 10)).toEqual([]);
    });
  });

  describe('AttendanceRepository', () => {
    /** A stay in `meetingCode` from `joined` to `left` minutes past midnight (seconds and milliseconds kept). */
    const stay = (userId: string, meetingCode: string, joined: number, left: number) => ({
      userId,
      meetingCode,
      joinedAt: new Date(Date.UTC(2026, 0, 1, 0, joined, 1, 234)),
      leftAt: new Date(Date.UTC(2026, 0, 1, 0, left, 5, 678)),
    });

    it('lists a user’s records newest first by joinedAt, up to the limit, without other users’', async () => {
      await store.attendance.add(stay('u1', 'a', 1, 5));
      await store.attendance.add(stay('u1', 'b', 3, 4));
      await store.attendance.add(stay('u1', 'c', 2, 9));
      await store.attendance.add(stay('u2', 'd', 8, 9));
      expect(await store.attendance.listForUser('u1', 10)).toEqual([stay('u1', 'b', 3, 4), stay('u1', 'c', 2, 9), stay('u1', 'a', 1, 5)]);
      expect((await store.attendance.listForUser('u1', 2)).map((r) => r.meetingCode)).toEqual(['b', 'c']);
    });

    it('puts the later leave first between records that joined at the same time', async () => {
      await store.attendance.add(stay('u1', 'short', 1, 2));
      await store.attendance.add(stay('u1', 'long', 1, 7));
      await store.attendance.add(stay('u1', 'middle', 1, 4));
      expect((await store.attendance.listForUser('u1', 10)).map((r) => r.meetingCode)).toEqual(['long', 'middle', 'short']);
    });

    it('keeps long call ids and query-like strings as plain values', async () => {
      const long = `https://meet.example/${'x'.repeat(1000)}?a=1&b=’😀’`;
      await store.attendance.add(stay('u1', long, 1, 2));
      await store.attendance.add(stay('{"$ne":null}', 'other', 1, 2));
      expect(await store.attendance.listForUser('u1', 10)).toEqual([stay('u1', long, 1, 2)]);
      expect(await store.attendance.listForUser("' OR 1=1 --", 10)).toEqual([]);
    });

    it('returns [] for a user with no records', async () => {
      expect(await store.attendance.listForUser('nobody', 10)).toEqual([]);
    });
  });

  describe('MeetingRepository', () => {
    const meeting = (code: string, ownerId: string, minute: number, extra: { title?: string; lobby?: boolean; media?: MediaMode } = {}) => ({
      code,
      title: extra.title ?? `Title ${code}`,
      ownerId,
      lobby: extra.lobby ?? false,
      media: extra.media ?? 'auto',
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
    });

    it('returns what was added by its exact code, an empty title, the lobby flag and the media mode included', async () => {
      await store.meetings.add(meeting('abc-defg-hij', 'u1', 1, { title: '', lobby: true, media: 'sfu' }));
      await store.meetings.add(meeting('standup', 'u1', 2));
      await store.meetings.add(meeting('pairing', 'u1', 3, { media: 'mesh' }));
      expect(await store.meetings.findByCode('abc-defg-hij')).toEqual(meeting('abc-defg-hij', 'u1', 1, { title: '', lobby: true, media: 'sfu' }));
      expect(await store.meetings.findByCode('standup')).toEqual(meeting('standup', 'u1', 2));
      expect(await store.meetings.findByCode('pairing')).toEqual(meeting('pairing', 'u1', 3, { media: 'mesh' }));
    });

    it('returns null for a code nobody created, another case or a query-like string', async () => {
      await store.meetings.add(meeting('standup', 'u1', 1));
      expect(await store.meetings.findByCode('nothing')).toBeNull();
      expect(await store.meetings.findByCode('STANDUP')).toBeNull();
      expect(await store.meetings.findByCode('{"$ne":null}')).toBeNull();
      expect(await store.meetings.findByCode("' OR 1=1 --")).toBeNull();
    });

    it('throws MEETING_CODE_TAKEN for a code already stored and keeps the first meeting', async () => {
      await store.meetings.add(meeting('standup', 'u1', 1));
      await expectCode(store.meetings.add(meeting('standup', 'u2', 2, { title: 'Other' })), 'MEETING_CODE_TAKEN');
      expect(await store.meetings.findByCode('standup')).toEqual(meeting('standup', 'u1', 1));
      expect(await store.meetings.listByOwner('u2', 10)).toEqual([]);
    });

    it('lets exactly one of concurrent adds of one code through', async () => {
      const attempts = await Promise.allSettled(['u1', 'u2', 'u3', 'u4'].map((owner) => store.meetings.add(meeting('race', owner, 1))));
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const attempt of attempts) if (attempt.status === 'rejected') expect(attempt.reason).toMatchObject({ code: 'MEETING_CODE_TAKEN' });
    });

    it('lists an owner’s meetings newest first (equal times by code descending), up to the limit, without others’', async () => {
      await store.meetings.add(meeting('m-old', 'u1', 1));
      await store.meetings.add(meeting('m-new', 'u1', 3));
      await store.meetings.add(meeting('m-aaa', 'u1', 2));
      await store.meetings.add(meeting('m-zzz', 'u1', 2));
      await store.meetings.add(meeting('theirs', 'u2', 4));
      expect(await store.meetings.listByOwner('u1', 10)).toEqual([
        meeting('m-new', 'u1', 3),
        meeting('m-zzz', 'u1', 2),
        meeting('m-aaa', 'u1', 2),
        meeting('m-old', 'u1', 1),
      ]);
      expect((await store.meetings.listByOwner('u1', 2)).map((m) => m.code)).toEqual(['m-new', 'm-zzz']);
      expect(await store.meetings.listByOwner('nobody', 10)).toEqual([]);
    });
  });

  describe('DatabaseHealth', () => {
    it('reports healthy while the store answers', async () => {
      expect(await store.health.isHealthy()).toBe(true);
    });
  });
}
