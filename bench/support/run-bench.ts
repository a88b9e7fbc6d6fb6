/** Runs a bench's main and exits: 0 when it finished (or said it passed), 1 when it threw or said it failed. */
export function runBench(main: () => Promise<boolean | void>): void {
  main().then(
    (passed) => process.exit(passed === false ? 1 : 0),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
