import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The project's Janus configuration, written once here for `npm run janus` (scripts/janus.ts) and the tests
 * (tests/support/janus-process.ts): the Janus API over a plain WebSocket on one address, no admin API, the VideoRoom
 * plugin and the WebSocket transport only (every other plugin, transport and logger of the installation disabled),
 * no event handlers, no STUN or TURN, a bounded UDP port range, mDNS candidates ignored. Rooms are created by the
 * MediaServer adapter at run time, so the VideoRoom configuration holds none.
 *
 * Janus 1.1 never gathers ICE candidates on a loopback interface (ice.c skips IFF_LOOPBACK), so an enforce list of
 * "lo" leaves Janus with no address of its own and libnice then gathers on every interface, IPv6 included: to keep
 * Janus to one address, name it (or its interface) in `iceEnforceList`.
 */

export interface JanusConfigOptions {
  /** Where the WebSocket transport listens. */
  host: string;
  port: number;
  /** UDP ports for ICE and RTP/RTCP, inclusive. */
  rtpPorts: { min: number; max: number };
  /** Holds Janus's plugins/ and transports/ folders (findJanusLibDir). */
  libDir: string;
  /** Janus's ice_enforce_list: the only interfaces or addresses (comma-separated prefixes) to gather candidates on; all but loopback when absent. */
  iceEnforceList?: string;
  /** false: no DTLS and no SRTP (Janus's no_webrtc_encryption), for a test peer that only does ICE; browsers need it on. */
  webrtcEncryption?: boolean;
  /** Janus's debug_level, 0-7 (4: info). */
  debugLevel?: number;
}

const KEEP = {
  plugins: 'libjanus_videoroom.so',
  transports: 'libjanus_websockets.so',
} as const;

/** Where an installed Janus keeps its plugins: Debian's multiarch folder, or the usual source-install prefixes. */
export function findJanusLibDir(): string | null {
  const multiarch = existsSync('/usr/lib') ? readdirSync('/usr/lib').filter((name) => name.endsWith('-linux-gnu')) : [];
  const candidates = [...multiarch.map((name) => join('/usr/lib', name, 'janus')), '/usr/lib/janus', '/usr/local/lib/janus', '/opt/janus/lib/janus'];
  return candidates.find((dir) => existsSync(join(dir, 'plugins', KEEP.plugins)) && existsSync(join(dir, 'transports', KEEP.transports))) ?? null;
}

/** Janus's configuration files (name -> text) for the folder `configDir`. */
export function janusConfigFiles(configDir: string, options: JanusConfigOptions): Record<string, string> {
  const others = (folder: string, keep?: string) => {
    const dir = join(options.libDir, folder);
    return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.so') && name !== keep) : [];
  };
  const general = [
    `configs_folder = ${quoted(configDir)}`,
    `plugins_folder = ${quoted(join(options.libDir, 'plugins'))}`,
    `transports_folder = ${quoted(join(options.libDir, 'transports'))}`,
    `events_folder = ${quoted(join(options.libDir, 'events'))}`,
    `loggers_folder = ${quoted(join(options.libDir, 'loggers'))}`,
    `debug_level = ${options.debugLevel ?? 4}`,
    'server_name = "meet-backend"',
    'session_timeout = 60',
    'hide_dependencies = true',
    ...(options.webrtcEncryption === false ? ['no_webrtc_encryption = true'] : []),
  ];
  const nat = [
    ...(options.iceEnforceList ? [`ice_enforce_list = ${quoted(options.iceEnforceList)}`] : []),
    'ignore_mdns = true',
    'nice_debug = false',
  ];
  const janus = [
    section('general', general),
    section('media', [`rtp_port_range = "${options.rtpPorts.min}-${options.rtpPorts.max}"`, 'ipv6 = false']),
    section('nat', nat),
    section('plugins', [`disable = ${quoted(others('plugins', KEEP.plugins).join(','))}`]),
    section('transports', [`disable = ${quoted(others('transports', KEEP.transports).join(','))}`]),
    section('loggers', [`disable = ${quoted(others('loggers').join(','))}`]),
    section('events', ['broadcast = false']),
  ];
  const websockets = [
    section('general', ['json = "compact"', 'ws = true', `ws_port = ${options.port}`, `ws_ip = ${quoted(options.host)}`, 'wss = false']),
    section('admin', ['admin_ws = false', 'admin_wss = false']),
  ];
  return {
    'janus.jcfg': janus.join('\n'),
    'janus.transport.websockets.jcfg': websockets.join('\n'),
    'janus.plugin.videoroom.jcfg': section('general', []),
  };
}

/** Writes the configuration into `configDir`; answers the arguments that start `janus` on it in the foreground. */
export function writeJanusConfig(configDir: string, options: JanusConfigOptions): string[] {
  for (const [name, text] of Object.entries(janusConfigFiles(configDir, options))) writeFileSync(join(configDir, name), text);
  return ['--config', join(configDir, 'janus.jcfg'), '--configs-folder', configDir, '--disable-colors'];
}

function section(name: string, lines: string[]): string {
  return `${name}: {\n${lines.map((line) => `\t${line}\n`).join('')}}\n`;
}

/** A libconfig string. */
function quoted(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}
