import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EventCounts } from './event-counts';

export interface LiveCounts {
  calls: number;
  participants: number;
}

/** One method, route and status: its labels, built once, and how many requests it answered. */
interface RequestTally {
  requests: Record<'method' | 'route' | 'status', string>;
  latency: Record<'method' | 'route', string>;
  count: number;
}

const SIGNAL = 'signal';
const JOIN = 'join-call';
const OK = 'ok';

/**
 * This node's metrics, in a registry of its own: prom-client's global one would be shared by every server that
 * tests start in one process. No label names a call, a user or a socket. Socket events are counted in plain numbers
 * (see EventCounts) and copied into their counters when scraped; live calls are read from the sockets when scraped.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  private readonly events = new EventCounts();
  /** By method, status and route; bounded as they are (methods Node parses, route patterns, statuses). */
  private readonly tallies = new Map<string, RequestTally>();
  private readonly latency: Histogram<'method' | 'route'>;
  private readonly logins: Counter<'result'>;

  constructor(live: () => LiveCounts) {
    const registers = [this.registry];
    const events = this.events;
    collectDefaultMetrics({ register: this.registry });

    new Gauge({
      name: 'meet_live_calls',
      help: 'Calls with at least one participant connected to this node',
      registers,
      collect() {
        this.set(live().calls);
      },
    });
    new Gauge({
      name: 'meet_live_participants',
      help: 'Participants in a call whose socket is connected to this node',
      registers,
      collect() {
        this.set(live().participants);
      },
    });
    new Counter({
      name: 'meet_socket_events_total',
      help: 'Socket events handled, by event and result (ok or the error code answered)',
      labelNames: ['event', 'result'],
      registers,
      collect() {
        this.reset();
        for (const { event, result, count } of events.entries()) this.inc({ event, result }, count);
      },
    });
    new Counter({
      name: 'meet_call_joins_total',
      help: 'join-call events, by result (ok or the error code answered)',
      labelNames: ['result'],
      registers,
      collect() {
        this.reset();
        for (const { event, result, count } of events.entries()) if (event === JOIN) this.inc({ result }, count);
      },
    });
    new Counter({
      name: 'meet_signal_relays_total',
      help: 'Signals relayed to another participant',
      registers,
      collect() {
        this.reset();
        this.inc(events.count(SIGNAL, OK));
      },
    });
    const tallies = this.tallies;
    new Counter({
      name: 'meet_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
      collect() {
        this.reset();
        for (const { requests, count } of tallies.values()) this.inc(requests, count);
      },
    });
    this.latency = new Histogram({
      name: 'meet_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route pattern',
      labelNames: ['method', 'route'],
      registers,
    });
    this.logins = new Counter({
      name: 'meet_logins_total',
      help: 'Login attempts that reached the login route, by result (ok or the error code answered)',
      labelNames: ['result'],
      registers,
    });
  }

  /** A socket event was answered with `result`: 'ok' or the error code. The signal path's whole cost of metrics. */
  readonly observeEvent = (event: string, result: string): void => this.events.add(event, result);

  /**
   * A request was answered. `route` is the matched pattern (or a fixed word), never the raw URL. Counted in a plain
   * number like socket events, and the labels are built once per method, status and route: prom-client would
   * check and hash them again on every request.
   */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = { requests: { method, route, status: String(status) }, latency: { method, route }, count: 0 };
      this.tallies.set(key, tally);
    }
    tally.count += 1;
    this.latency.observe(tally.latency, seconds);
  }

  observeLogin(result: string): void {
    this.logins.inc({ result });
  }
}
