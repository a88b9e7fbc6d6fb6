export interface MeetingHistoryEntry {
  id: string;
  userId: string;
  meetingCode: string;
  date: Date;
}

export const HISTORY_PAGE = { defaultLimit: 50, maxLimit: 200 };
