// Counters for a simulator run, fed by station hooks: CALLs sent and answered, failures by kind,
// round-trip latency, sessions. Latency keeps a bounded random sample (reservoir), so a long
// benchmark costs constant memory and its percentiles stay representative.

import { RpcError } from '../protocol/ocpp-j/rpc-error.js';
import type { StationHooks } from './charge-point.js';
import { CallTimeoutError, LinkClosedError } from './ocpp-link.js';
import { InvalidResponseError, StationClosedError } from './charge-point.js';

const RESERVOIR_SIZE = 20_000;

export interface RunStats {
  startedAtMs: number;
  stationsStarted: number;
  stationsConnected: number;
  stationsAccepted: number;
  connectFailures: number;
  disconnects: number;
  callsSent: number;
  callsAnswered: number;
  /** CALLERRORs from the central system. */
  callErrors: number;
  callTimeouts: number;
  invalidResponses: number;
  /** CALLs whose link closed before the answer (transaction messages are sent again). */
  callsLost: number;
  inboundCalls: number;
  sessionsStarted: number;
  sessionsCompleted: number;
  sessionsRefused: number;
  /** Anything else that went wrong in a station's cycle. */
  otherErrors: number;
  byAction: Map<string, { sent: number; answered: number; failed: number }>;
  latency: { count: number; totalMs: number; maxMs: number; sample: number[] };
  /** The first few error messages, for the report. */
  errorSamples: string[];
}

export interface StatsSnapshot {
  elapsedMs: number;
  stationsStarted: number;
  stationsConnected: number;
  stationsAccepted: number;
  connectFailures: number;
  disconnects: number;
  callsSent: number;
  callsAnswered: number;
  callErrors: number;
  callTimeouts: number;
  invalidResponses: number;
  callsLost: number;
  inboundCalls: number;
  sessionsStarted: number;
  sessionsCompleted: number;
  sessionsRefused: number;
  otherErrors: number;
  /** Everything that counts as a failure of the run. */
  errors: number;
  messagesPerSecond: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  byAction: Record<string, { sent: number; answered: number; failed: number }>;
  errorSamples: string[];
}

export function createStats(nowMs = Date.now()): RunStats {
  return {
    startedAtMs: nowMs,
    stationsStarted: 0,
    stationsConnected: 0,
    stationsAccepted: 0,
    connectFailures: 0,
    disconnects: 0,
    callsSent: 0,
    callsAnswered: 0,
    callErrors: 0,
    callTimeouts: 0,
    invalidResponses: 0,
    callsLost: 0,
    inboundCalls: 0,
    sessionsStarted: 0,
    sessionsCompleted: 0,
    sessionsRefused: 0,
    otherErrors: 0,
    byAction: new Map(),
    latency: { count: 0, totalMs: 0, maxMs: 0, sample: [] },
    errorSamples: [],
  };
}

export function noteError(stats: RunStats, message: string): void {
  if (stats.errorSamples.length < 10) stats.errorSamples.push(message);
}

function perAction(stats: RunStats, action: string) {
  let entry = stats.byAction.get(action);
  if (!entry) {
    entry = { sent: 0, answered: 0, failed: 0 };
    stats.byAction.set(action, entry);
  }
  return entry;
}

function recordLatency(stats: RunStats, ms: number): void {
  const latency = stats.latency;
  latency.count++;
  latency.totalMs += ms;
  latency.maxMs = Math.max(latency.maxMs, ms);
  if (latency.sample.length < RESERVOIR_SIZE) latency.sample.push(ms);
  else {
    const slot = Math.floor(Math.random() * latency.count);
    if (slot < RESERVOIR_SIZE) latency.sample[slot] = ms;
  }
}

/** Station hooks that count into `stats`. */
export function statsHooks(stats: RunStats): StationHooks {
  return {
    onConnected: () => void stats.stationsConnected++,
    onDisconnected: () => {
      stats.stationsConnected--;
      stats.disconnects++;
    },
    onCallSent: ({ action }) => {
      stats.callsSent++;
      perAction(stats, action).sent++;
    },
    onAcknowledged: ({ action, latencyMs }) => {
      stats.callsAnswered++;
      perAction(stats, action).answered++;
      recordLatency(stats, latencyMs);
    },
    onCallFailed: ({ action, error }) => {
      perAction(stats, action).failed++;
      if (error instanceof RpcError) stats.callErrors++;
      else if (error instanceof CallTimeoutError) stats.callTimeouts++;
      else if (error instanceof InvalidResponseError) stats.invalidResponses++;
      else if (error instanceof LinkClosedError || error instanceof StationClosedError) stats.callsLost++;
      else stats.otherErrors++;
      noteError(stats, `${action}: ${error.message}`);
    },
    onInboundCall: () => void stats.inboundCalls++,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

const round = (value: number) => Math.round(value * 100) / 100;

export function snapshot(stats: RunStats, nowMs = Date.now()): StatsSnapshot {
  const elapsedMs = Math.max(1, nowMs - stats.startedAtMs);
  const sorted = [...stats.latency.sample].sort((a, b) => a - b);
  const errors =
    stats.connectFailures + stats.callErrors + stats.callTimeouts + stats.invalidResponses + stats.callsLost + stats.sessionsRefused + stats.otherErrors;
  return {
    elapsedMs,
    stationsStarted: stats.stationsStarted,
    stationsConnected: stats.stationsConnected,
    stationsAccepted: stats.stationsAccepted,
    connectFailures: stats.connectFailures,
    disconnects: stats.disconnects,
    callsSent: stats.callsSent,
    callsAnswered: stats.callsAnswered,
    callErrors: stats.callErrors,
    callTimeouts: stats.callTimeouts,
    invalidResponses: stats.invalidResponses,
    callsLost: stats.callsLost,
    inboundCalls: stats.inboundCalls,
    sessionsStarted: stats.sessionsStarted,
    sessionsCompleted: stats.sessionsCompleted,
    sessionsRefused: stats.sessionsRefused,
    otherErrors: stats.otherErrors,
    errors,
    messagesPerSecond: round((stats.callsSent * 1000) / elapsedMs),
    latencyMs: {
      mean: round(stats.latency.count > 0 ? stats.latency.totalMs / stats.latency.count : 0),
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(stats.latency.maxMs),
    },
    byAction: Object.fromEntries(stats.byAction),
    errorSamples: [...stats.errorSamples],
  };
}

/** One line for a progress report. */
export function formatProgress(s: StatsSnapshot): string {
  return (
    `${(s.elapsedMs / 1000).toFixed(1)}s  stations ${s.stationsConnected}/${s.stationsStarted} connected, ${s.stationsAccepted} accepted` +
    `  calls ${s.callsSent} sent, ${s.callsAnswered} answered (${s.messagesPerSecond}/s)` +
    `  sessions ${s.sessionsCompleted}/${s.sessionsStarted}  errors ${s.errors}` +
    `  latency p50 ${s.latencyMs.p50} ms p95 ${s.latencyMs.p95} ms`
  );
}

/** A multi-line final report. */
export function formatReport(s: StatsSnapshot): string {
  const lines = [
    `Simulator run: ${(s.elapsedMs / 1000).toFixed(1)} s`,
    `  stations   ${s.stationsStarted} started, ${s.stationsAccepted} accepted, ${s.connectFailures} failed to connect, ${s.disconnects} disconnects`,
    `  calls      ${s.callsSent} sent, ${s.callsAnswered} answered, ${s.messagesPerSecond}/s; ${s.inboundCalls} answered for the central system`,
    `  failures   ${s.callErrors} CALLERROR, ${s.callTimeouts} timeouts, ${s.invalidResponses} invalid answers, ${s.callsLost} lost with the link, ${s.otherErrors} other`,
    `  sessions   ${s.sessionsStarted} started, ${s.sessionsCompleted} completed, ${s.sessionsRefused} refused`,
    `  latency    mean ${s.latencyMs.mean} ms, p50 ${s.latencyMs.p50}, p95 ${s.latencyMs.p95}, p99 ${s.latencyMs.p99}, max ${s.latencyMs.max}`,
    `  by action  ${Object.entries(s.byAction)
      .map(([action, counts]) => `${action} ${counts.answered}/${counts.sent}`)
      .join(', ')}`,
  ];
  if (s.errorSamples.length > 0) lines.push('  first errors:', ...s.errorSamples.map((message) => `    ${message}`));
  lines.push(s.errors === 0 ? 'OK: no errors' : `FAILED: ${s.errors} errors`);
  return lines.join('\n');
}
