import { resolve } from 'node:path';
import { JANUS_INSTALL_HINT, janusMissing, startJanus } from '../tests/support/janus-process';

/*
 * `npm run janus`: Debian's janus in the foreground on the project's generated configuration
 * (src/adapters/media/janus-config.ts, as the tests use it), written to DATA_DIR/janus. The Janus API listens on
 * JANUS_HOST:JANUS_PORT (127.0.0.1:8188), media on the UDP ports JANUS_RTP_PORTS (20000-20199), ICE candidates on
 * every interface but loopback unless JANUS_ICE_ENFORCE_LIST names some. Media is encrypted (DTLS-SRTP), as browsers
 * require. Ctrl-C stops it.
 */

function rtpPorts(text: string): { min: number; max: number } {
  const match = /^(\d+)-(\d+)$/.exec(text);
  const [min, max] = [Number(match?.[1]), Number(match?.[2])];
  if (!match || !(min >= 1024 && min < max && max <= 65_535)) throw new Error(`JANUS_RTP_PORTS must be <min>-<max> within 1024-65535, not ${text}`);
  return { min, max };
}

async function main(): Promise<void> {
  const missing = janusMissing();
  if (missing !== null) throw new Error(`${missing}: install Janus (${JANUS_INSTALL_HINT})`);
  const port = Number(process.env.JANUS_PORT ?? 8188);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`JANUS_PORT must be a TCP port, not ${process.env.JANUS_PORT}`);
  const configDir = resolve(process.env.DATA_DIR ?? './data', 'janus');
  const janus = await startJanus({
    host: process.env.JANUS_HOST ?? '127.0.0.1',
    port,
    rtpPorts: rtpPorts(process.env.JANUS_RTP_PORTS ?? '20000-20199'),
    iceEnforceList: process.env.JANUS_ICE_ENFORCE_LIST,
    output: 'inherit',
    configDir,
  });
  process.stdout.write(`\nJanus answers with the configuration in ${configDir}; point the backend at it with\n  JANUS_URLS=${janus.url}\n\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void janus.stop());
  await janus.exited;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
