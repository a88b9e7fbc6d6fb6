import type { AttendanceRecord } from '../../../domain/attendance';
import { DomainError } from '../../../domain/errors';
import { meetingCodeTaken, type Meeting } from '../../../domain/meeting';
import type { MeetingHistoryEntry } from '../../../domain/meeting-history';
import { storedMediaMode } from '../../../domain/media-path';
import type { Session } from '../../../domain/session';
import type { User } from '../../../domain/user';
import { Username } from '../../../domain/username';
import type { AttendanceDocument, MeetingDocument, MeetingHistoryDocument, SessionDocument, UserDocument } from './mongoose-models';

export function userToDocument(user: User): UserDocument {
  return {
    _id: user.id,
    name: user.name,
    username: user.username,
    usernameKey: Username.key(user.username),
    passwordHash: user.passwordHash,
    createdAt: user.createdAt,
  };
}

export function userFromDocument(doc: UserDocument): User {
  return {
    id: doc._id,
    name: doc.name,
    username: doc.username,
    passwordHash: doc.passwordHash,
    createdAt: new Date(doc.createdAt),
  };
}

export function sessionToDocument(session: Session): SessionDocument {
  return { _id: session.id, ...pick(session) };
}

export function sessionFromDocument(doc: SessionDocument): Session {
  return {
    id: doc._id,
    userId: doc.userId,
    createdAt: new Date(doc.createdAt),
    expiresAt: new Date(doc.expiresAt),
    revokedAt: doc.revokedAt ? new Date(doc.revokedAt) : null,
  };
}

export function historyToDocument(entry: MeetingHistoryEntry): MeetingHistoryDocument {
  return { _id: entry.id, userId: entry.userId, meetingCode: entry.meetingCode, date: entry.date };
}

export function historyFromDocument(doc: MeetingHistoryDocument): MeetingHistoryEntry {
  return { id: doc._id, userId: doc.userId, meetingCode: doc.meetingCode, date: new Date(doc.date) };
}

export function attendanceToDocument(record: AttendanceRecord): AttendanceDocument {
  return { userId: record.userId, meetingCode: record.meetingCode, joinedAt: record.joinedAt, leftAt: record.leftAt };
}

export function attendanceFromDocument(doc: AttendanceDocument): AttendanceRecord {
  return { userId: doc.userId, meetingCode: doc.meetingCode, joinedAt: new Date(doc.joinedAt), leftAt: new Date(doc.leftAt) };
}

/** MongoDB reports a unique-index violation as code 11000; on users that means the username is taken. */
export function translateUserWriteError(error: unknown): unknown {
  if ((error as { code?: number }).code === 11000) {
    return new DomainError('USERNAME_TAKEN', 'That username is already taken');
  }
  return error;
}

export function meetingToDocument(meeting: Meeting): MeetingDocument {
  return { _id: meeting.code, title: meeting.title, ownerId: meeting.ownerId, lobby: meeting.lobby, media: meeting.media, createdAt: meeting.createdAt };
}

export function meetingFromDocument(doc: MeetingDocument): Meeting {
  return { code: doc._id, title: doc.title, ownerId: doc.ownerId, lobby: doc.lobby, media: storedMediaMode(doc.media), createdAt: new Date(doc.createdAt) };
}

/** On meetings the only unique index is the code (`_id`): a duplicate key means the code is taken. */
export function translateMeetingWriteError(error: unknown): unknown {
  return (error as { code?: number }).code === 11000 ? meetingCodeTaken() : error;
}

function pick(session: Session): Omit<SessionDocument, '_id'> {
  return {
    userId: session.userId,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    revokedAt: session.revokedAt,
  };
}
