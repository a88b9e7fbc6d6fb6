import mongoose from 'mongoose';
import {
  attendanceFromDocument,
  attendanceToDocument,
  historyFromDocument,
  historyToDocument,
  meetingFromDocument,
  meetingToDocument,
  sessionFromDocument,
  sessionToDocument,
  translateMeetingWriteError,
  translateUserWriteError,
  userFromDocument,
  userToDocument,
} from '../../src/adapters/persistence/mongoose/mongoose-mapping';
import { registerModels } from '../../src/adapters/persistence/mongoose/mongoose-models';
import { DomainError } from '../../src/domain/errors';

// No MongoDB server is needed here: only the mapping, the schema definitions and error translation.
describe('Mongoose mapping', () => {
  const user = { id: 'u1', name: 'Ann', username: 'Ann.Lee', passwordHash: 'h', createdAt: new Date(1000) };

  it('stores the normalised username key and maps back to the domain user', () => {
    const doc = userToDocument(user);
    expect(doc).toMatchObject({ _id: 'u1', usernameKey: 'ann.lee' });
    expect(userFromDocument(doc)).toEqual(user);
  });

  it('maps sessions and history both ways', () => {
    const session = { id: 's1', userId: 'u1', createdAt: new Date(1), expiresAt: new Date(2), revokedAt: null };
    expect(sessionFromDocument(sessionToDocument(session))).toEqual(session);
    const entry = { id: 'h1', userId: 'u1', meetingCode: 'abc', date: new Date(3) };
    expect(historyFromDocument(historyToDocument(entry))).toEqual(entry);
  });

  it('maps attendance both ways', () => {
    const record = { userId: 'u1', meetingCode: 'https://meet.example/a?b=1', joinedAt: new Date(4), leftAt: new Date(5) };
    expect(attendanceFromDocument(attendanceToDocument(record))).toEqual(record);
  });

  it('turns a duplicate-key error into USERNAME_TAKEN and passes others through', () => {
    const translated = translateUserWriteError(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }));
    expect(translated).toBeInstanceOf(DomainError);
    expect((translated as DomainError).code).toBe('USERNAME_TAKEN');
    const other = new Error('network');
    expect(translateUserWriteError(other)).toBe(other);
  });

  it('keys a meeting by its code and maps it back, an empty title and the media mode included', () => {
    const meeting = { code: 'abc-defg-hij', title: '', ownerId: 'u1', lobby: true, media: 'sfu' as const, createdAt: new Date(4) };
    expect(meetingToDocument(meeting)).toMatchObject({ _id: 'abc-defg-hij', media: 'sfu' });
    expect(meetingFromDocument(meetingToDocument(meeting))).toEqual(meeting);
  });

  it('reads a meeting stored before media modes, or with a mode it does not know, as auto', () => {
    const stored = { _id: 'standup', title: '', ownerId: 'u1', lobby: false, createdAt: new Date(4) };
    expect(meetingFromDocument(stored).media).toBe('auto');
    expect(meetingFromDocument({ ...stored, media: 'p2p' }).media).toBe('auto');
  });

  it('turns a duplicate-key error on meetings into MEETING_CODE_TAKEN and passes others through', () => {
    const translated = translateMeetingWriteError(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }));
    expect(translated).toBeInstanceOf(DomainError);
    expect(translated).toMatchObject({ code: 'MEETING_CODE_TAKEN' });
    const other = new Error('network');
    expect(translateMeetingWriteError(other)).toBe(other);
  });

  it('declares the unique username index, the history, attendance and meetings indexes and the session TTL index', () => {
    const connection = mongoose.createConnection();
    const models = registerModels(connection);
    const indexes = (model: { schema: mongoose.Schema }) => model.schema.indexes();
    expect(indexes(models.users)).toContainEqual([{ usernameKey: 1 }, expect.objectContaining({ unique: true })]);
    expect(indexes(models.history)).toContainEqual([{ userId: 1, date: -1 }, expect.anything()]);
    expect(indexes(models.attendance)).toContainEqual([{ userId: 1, joinedAt: -1, leftAt: -1 }, expect.anything()]);
    expect(indexes(models.meetings)).toContainEqual([{ ownerId: 1, createdAt: -1, _id: -1 }, expect.anything()]);
    expect(indexes(models.sessions)).toContainEqual([{ expiresAt: 1 }, expect.objectContaining({ expireAfterSeconds: 0 })]);
  });
});
