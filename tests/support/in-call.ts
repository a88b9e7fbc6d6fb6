/** What a join answers when the lobby holds the joiner back, at the store and at the use case alike. */
interface Waiting {
  waiting: true;
}

function isWaiting(outcome: object): boolean {
  return 'waiting' in outcome && outcome.waiting === true;
}

function joined<T extends object>(outcome: T): outcome is Exclude<T, Waiting> {
  return !isWaiting(outcome);
}

function held<T extends object>(outcome: T): outcome is Extract<T, Waiting> {
  return isWaiting(outcome);
}

/** A join's answer when it put the joiner in the call; fails the test when the joiner was left waiting. */
export function inCall<T extends object>(outcome: T): Exclude<T, Waiting> {
  if (!joined(outcome)) throw new Error(`expected to be in the call, got ${JSON.stringify(outcome)}`);
  return outcome;
}

/** A join's answer when the lobby held the joiner back; fails the test when it joined. */
export function heldBack<T extends object>(outcome: T): Extract<T, Waiting> {
  if (!held(outcome)) throw new Error(`expected to wait in the lobby, got ${JSON.stringify(outcome)}`);
  return outcome;
}
