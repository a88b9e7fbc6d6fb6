/** setTimeout's longest delay (about 24.8 days); a session may last up to a year. */
const LONGEST_DELAY_MS = 2 ** 31 - 1;

/** Runs `task` once at `when`, however far away; the returned function cancels it. */
export function atTime(when: Date, task: () => void, now: () => number = Date.now): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const wait = when.getTime() - now();
    if (wait <= 0) {
      task();
      return;
    }
    timer = setTimeout(arm, Math.min(wait, LONGEST_DELAY_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
