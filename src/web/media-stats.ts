import type { LinkNumbers } from './link-quality';

/** A connection whose inbound media belongs to participants: all of it to one (the mesh), or by media id (the SFU). */
export interface StatsSource {
  pc: RTCPeerConnection;
  owner: (mid: string | undefined) => string | null;
}

/** What one sample says of a participant: how loud (0..1) and how their media arrives. */
export interface ParticipantSample {
  level: number;
  link: LinkNumbers;
}

interface Totals {
  at: number;
  energy: number;
  duration: number;
  lost: number;
  received: number;
}

interface Report {
  type: string;
  kind?: string;
  mid?: string;
  state?: string;
  nominated?: boolean;
  currentRoundTripTime?: number;
  totalAudioEnergy?: number;
  totalSamplesDuration?: number;
  packetsLost?: number;
  packetsReceived?: number;
  framesPerSecond?: number;
}

const ZERO: Totals = { at: 0, energy: 0, duration: 0, lost: 0, received: 0 };

/**
 * Reads getStats of the call's connections and turns the counters into rates since the last reading. Loudness is the
 * audio energy between readings (RMS, as WebRTC's audioLevel), so a short sound between two readings still counts.
 */
export class MediaStats {
  private last = new Map<string, Totals>();

  async sample(sources: readonly StatsSource[], now: number): Promise<Map<string, ParticipantSample>> {
    const totals = new Map<string, Totals>();
    const fps = new Map<string, number>();
    const rtt = new Map<string, number>();
    for (const { pc, owner } of sources) {
      if (pc.connectionState === 'closed') continue;
      const reports: Report[] = [];
      (await pc.getStats()).forEach((report: Report) => reports.push(report));
      const pair = reports.find((report) => report.type === 'candidate-pair' && report.nominated && report.state === 'succeeded');
      for (const report of reports) {
        if (report.type !== 'inbound-rtp') continue;
        const id = owner(report.mid);
        if (id === null) continue;
        const total = totals.get(id) ?? { ...ZERO, at: now };
        total.lost += report.packetsLost ?? 0;
        total.received += report.packetsReceived ?? 0;
        if (report.kind === 'audio') {
          total.energy += report.totalAudioEnergy ?? 0;
          total.duration += report.totalSamplesDuration ?? 0;
        } else if (report.framesPerSecond !== undefined) fps.set(id, report.framesPerSecond);
        totals.set(id, total);
        if (pair?.currentRoundTripTime !== undefined) rtt.set(id, pair.currentRoundTripTime * 1000);
      }
    }
    const samples = new Map<string, ParticipantSample>();
    for (const [id, total] of totals) {
      const before = this.last.get(id);
      // A counter that went down is a new connection (the SFU's next subscription): it counts from zero.
      const from = before && before.duration <= total.duration && before.received <= total.received ? before : ZERO;
      const duration = total.duration - from.duration;
      const expected = total.received - from.received + Math.max(0, total.lost - from.lost);
      samples.set(id, {
        level: duration > 0 ? Math.sqrt(Math.max(0, total.energy - from.energy) / duration) : 0,
        link: { rttMs: rtt.get(id) ?? null, lossPercent: expected > 0 ? (Math.max(0, total.lost - from.lost) / expected) * 100 : 0, fps: fps.get(id) ?? null },
      });
    }
    this.last = totals;
    return samples;
  }
}
