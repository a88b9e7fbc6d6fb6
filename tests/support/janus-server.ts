import { hostAddress, JANUS_INSTALL_HINT, janusMissing, startJanus, type RunningJanus } from './janus-process';

const missing = janusMissing();

/** The block's Janus as a test sees it. */
export interface JanusUnderTest {
  /** This test's Janus API URL (a new one after a test killed the last). */
  url: () => string;
  /** SIGKILL this test's Janus; the next test gets a new one. */
  kill: () => Promise<void>;
  /** SIGSTOP it for the rest of the test; the next test gets a new one. */
  freeze: () => void;
}

/** How the block's Janus is configured, where the ICE-only test peer's defaults do not fit. */
export interface JanusBlockOptions {
  /** Browsers (the end-to-end suites) need DTLS-SRTP: true. The ICE-only peer of the integration tests: false (default). */
  webrtcEncryption?: boolean;
}

/**
 * A describe block with its own Janus (Debian's `janus`, the project's generated configuration) on an ephemeral
 * loopback WebSocket port; a test that kills or freezes it gets it replaced before the next. Media is not encrypted
 * (no DTLS) and candidates are gathered on this machine's first non-loopback IPv4 address, for the ICE-only peer of
 * tests/support/ice-peer.ts. Without Janus it reports itself skipped in one line, unless REQUIRE_JANUS=1 (as .ci/run
 * sets), where it fails.
 */
export function describeWithJanus(name: string, body: (janus: JanusUnderTest) => void, options: JanusBlockOptions = {}): void {
  if (missing !== null) {
    if (process.env.REQUIRE_JANUS === '1') {
      describe(name, () => {
        it('finds Janus (REQUIRE_JANUS=1)', () => {
          throw new Error(`${missing} and REQUIRE_JANUS=1: install it (${JANUS_INSTALL_HINT})`);
        });
      });
    } else {
      // Jest names no test of a wholly skipped file, so the reason goes to stderr, once per suite.
      process.stderr.write(`${name}: skipped: ${missing} (${JANUS_INSTALL_HINT})\n`);
      describe(name, () => it.skip(`skipped: ${missing} (${JANUS_INSTALL_HINT})`, () => {}));
    }
    return;
  }
  describe(name, () => {
    let running: RunningJanus | undefined;
    let spoiled = false;
    const start = () => startJanus({ iceEnforceList: hostAddress(), webrtcEncryption: options.webrtcEncryption ?? false, debugLevel: 3 });
    const current = () => {
      if (!running) throw new Error('janus is not running');
      return running;
    };
    beforeAll(async () => {
      running = await start();
    });
    beforeEach(async () => {
      if (!spoiled) return;
      await running?.stop();
      running = undefined;
      spoiled = false;
      running = await start();
    });
    body({
      url: () => current().url,
      kill: async () => {
        spoiled = true;
        await current().kill();
      },
      freeze: () => {
        spoiled = true;
        current().freeze();
      },
    });
    // Declared after the body's own hooks, so Janus stops only once what the body opened has closed.
    afterAll(async () => {
      await running?.stop();
    });
  });
}
