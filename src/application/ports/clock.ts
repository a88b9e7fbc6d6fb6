/** The current time; fakes let tests move it. */
export interface Clock {
  now(): Date;
}
