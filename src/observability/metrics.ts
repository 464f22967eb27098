// Prometheus metrics for /metrics. One registry per server instance (tests run several).

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    stationsConnected: new Gauge({ name: 'ocpp_stations_connected', help: 'Stations with an open WebSocket on this node', registers: [registry] }),
    frames: new Counter({ name: 'ocpp_frames_total', help: 'OCPP-J frames by direction', labelNames: ['direction'] as const, registers: [registry] }),
    inboundCalls: new Histogram({
      name: 'ocpp_inbound_call_seconds',
      help: 'Time from a station CALL to our answer, by action and outcome',
      labelNames: ['action', 'outcome'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    outboundCalls: new Counter({
      name: 'ocpp_outbound_calls_total',
      help: 'CALLs sent to stations, by action and outcome',
      labelNames: ['action', 'outcome'] as const,
      registers: [registry],
    }),
    repairs: new Counter({ name: 'ocpp_payload_repairs_total', help: 'Payload repairs made by the quirk layer, by rule', labelNames: ['rule'] as const, registers: [registry] }),
    refusedUpgrades: new Counter({ name: 'ocpp_refused_upgrades_total', help: 'WebSocket upgrades refused, by reason', labelNames: ['reason'] as const, registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
