import { loadConfig } from './src/config.js';
import { createDispatcher16 } from './src/gateway/dispatch-v16.js';
import { createMetrics } from './src/observability/metrics.js';
import { createLogger } from './src/logger.js';
import { systemClock } from './src/clock.js';
import { createEventBus } from './src/events.js';
import { resolveProfile } from './src/quirks/profiles.js';
import { parseFrame, serializeCallResult } from './src/protocol/ocpp-j/frames.js';
const log = createLogger('silent');
const services = { db: {} as any, clock: systemClock, events: createEventBus(log), config: loadConfig({}), log };
const dispatch = createDispatcher16(services as any, createMetrics());
const station = { id: 'X', registration: 'accepted', vendor: null, model: null, firmwareVersion: null, timeZone: null, profile: resolveProfile({}) } as any;
const N = 200000;
const text = '[2,"123","Heartbeat",{}]';
for (let round = 0; round < 3; round++) {
  let t = performance.now();
  for (let i = 0; i < N; i++) { const p = parseFrame(text); if (!p.ok) throw 1; }
  const parse = (performance.now() - t) * 1000 / N;
  t = performance.now();
  for (let i = 0; i < N; i++) { await dispatch(station, { type: 2, id: '1', action: 'Heartbeat', payload: {} }, log); }
  const disp = (performance.now() - t) * 1000 / N;
  t = performance.now();
  for (let i = 0; i < N; i++) { serializeCallResult('123', { currentTime: new Date().toISOString() }); }
  const ser = (performance.now() - t) * 1000 / N;
  console.log(`parse ${parse.toFixed(2)}us dispatch ${disp.toFixed(2)}us serialize ${ser.toFixed(2)}us`);
}
