import { describe, expect, it } from 'vitest';
import { createEventBus } from './events.js';
import { createLogger } from './logger.js';

describe('event bus', () => {
  const event = { stationId: 'S', registration: 'accepted' };

  it("gives another node's events only to listeners subscribed with { remote: true }", () => {
    const bus = createEventBus(createLogger('silent'));
    const seen: string[] = [];
    bus.on('station.booted', () => void seen.push('side effect'));
    const off = bus.on('station.booted', () => void seen.push('live view'), { remote: true });
    bus.emitRemote('station.booted', event);
    expect(seen).toEqual(['live view']);
    bus.emit('station.booted', event);
    expect(seen).toEqual(['live view', 'side effect', 'live view']);
    off();
    bus.emitRemote('station.booted', event);
    bus.emit('station.booted', event);
    expect(seen).toEqual(['live view', 'side effect', 'live view', 'side effect']);
  });

  it('hands events emitted here, and only those, to the bridge', () => {
    const bus = createEventBus(createLogger('silent'));
    const bridged: string[] = [];
    bus.setBridge((name) => void bridged.push(name));
    bus.emit('station.booted', event);
    bus.emitRemote('station.booted', event);
    bus.setBridge(undefined);
    bus.emit('station.booted', event);
    expect(bridged).toEqual(['station.booted']);
  });
});
