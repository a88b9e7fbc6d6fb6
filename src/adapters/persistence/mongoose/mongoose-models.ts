import { Schema, type Connection, type Model } from 'mongoose';
import { MEDIA_MODES } from '../../../domain/media-path';

export interface UserDocument {
  _id: string;
  name: string;
  username: string;
  usernameKey: string;
  passwordHash: string;
  createdAt: Date;
}

export interface SessionDocument {
  _id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface MeetingHistoryDocument {
  _id: string;
  userId: string;
  meetingCode: string;
  date: Date;
}

/** Records are never addressed one by one: MongoDB's own ObjectId is their _id. */
export interface AttendanceDocument {
  userId: string;
  meetingCode: string;
  joinedAt: Date;
  leftAt: Date;
}

export interface MeetingDocument {
  _id: string;
  title: string;
  ownerId: string;
  lobby: boolean;
  /** Absent from meetings stored before media modes: read as 'auto'. */
  media?: string;
  createdAt: Date;
}

const userSchema = new Schema<UserDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    username: { type: String, required: true },
    usernameKey: { type: String, required: true, unique: true },
    passwordHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const sessionSchema = new Schema<SessionDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    // MongoDB's TTL monitor deletes a session once expiresAt has passed.
    expiresAt: { type: Date, required: true, index: { expires: 0 } },
    revokedAt: { type: Date, default: null },
  },
  { versionKey: false },
);

const historySchema = new Schema<MeetingHistoryDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    meetingCode: { type: String, required: true },
    date: { type: Date, required: true },
  },
  { versionKey: false },
);
historySchema.index({ userId: 1, date: -1 });

const attendanceSchema = new Schema<AttendanceDocument>(
  {
    userId: { type: String, required: true },
    meetingCode: { type: String, required: true },
    joinedAt: { type: Date, required: true },
    leftAt: { type: Date, required: true },
  },
  { versionKey: false },
);
attendanceSchema.index({ userId: 1, joinedAt: -1, leftAt: -1 });

/** `_id` is the code: MongoDB's own unique index on it decides between two creations of one code. */
const meetingSchema = new Schema<MeetingDocument>(
  {
    _id: { type: String, required: true },
    // Not `required`: Mongoose takes '' for missing, and '' is the title of a meeting that was given none.
    title: { type: String, default: '' },
    ownerId: { type: String, required: true },
    lobby: { type: Boolean, required: true },
    media: { type: String, enum: MEDIA_MODES },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
meetingSchema.index({ ownerId: 1, createdAt: -1, _id: -1 });

export interface MongooseModels {
  users: Model<UserDocument>;
  sessions: Model<SessionDocument>;
  history: Model<MeetingHistoryDocument>;
  attendance: Model<AttendanceDocument>;
  meetings: Model<MeetingDocument>;
}

export function registerModels(connection: Connection): MongooseModels {
  return {
    users: connection.model<UserDocument>('User', userSchema, 'users'),
    sessions: connection.model<SessionDocument>('Session', sessionSchema, 'sessions'),
    history: connection.model<MeetingHistoryDocument>('MeetingHistory', historySchema, 'meeting_history'),
    attendance: connection.model<AttendanceDocument>('Attendance', attendanceSchema, 'attendance'),
    meetings: connection.model<MeetingDocument>('Meeting', meetingSchema, 'meetings'),
  };
}
