/** Fresh meeting codes that pass MeetingCode.linkSafe, from a source unpredictable enough to share as a link. */
export interface MeetingCodeGenerator {
  next(): string;
}
