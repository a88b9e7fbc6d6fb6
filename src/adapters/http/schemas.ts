import { z } from 'zod';
import { HISTORY_PAGE } from '../../domain/meeting-history';
import { MeetingCode } from '../../domain/meeting-code';
import { Password } from '../../domain/password';
import { PersonName } from '../../domain/person-name';
import { Username } from '../../domain/username';
import { ruledString, text } from '../validate';

const body = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: 'must be a JSON object' });

export const registerBody = body({
  name: ruledString(PersonName),
  username: ruledString(Username),
  password: ruledString(Password),
});

export const loginBody = body({
  username: text().min(1, 'must not be empty').max(64, 'is too long'),
  password: text().min(1, 'must not be empty').max(1024, 'is too long'),
});

export const addHistoryBody = body({
  meeting_code: ruledString(MeetingCode),
});

export const historyQuery = z.object({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(HISTORY_PAGE.maxLimit, `must be at most ${HISTORY_PAGE.maxLimit}`)
    .optional(),
});
