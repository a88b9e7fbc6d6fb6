/** isHealthy: true when the database answers a trivial query now; never throws. */
export interface DatabaseHealth {
  isHealthy(): Promise<boolean>;
}
