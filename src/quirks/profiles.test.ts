import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, PROFILES, resolveProfile, type QuirkProfile } from './profiles.js';

describe('resolveProfile', () => {
  it('applies the OpenEVSE 4.2 kWh-register entry to OpenEVSE firmware 4.2.x', () => {
    for (const firmwareVersion of ['4.2.0', '4.2.1', 'v4.2.3']) {
      const profile = resolveProfile({ vendor: 'OpenEVSE', model: 'WiFi', firmwareVersion });
      expect(profile.name, firmwareVersion).toBe('openevse-4.2-kwh-register');
      expect(profile.energyRegisterIsKWh).toBe(true);
    }
    expect(resolveProfile({ vendor: 'openevse', firmwareVersion: '4.2.2' }).name).toBe('openevse-4.2-kwh-register');
  });

  it('does not apply it to other OpenEVSE firmware', () => {
    for (const firmwareVersion of ['4.1.3', '4.10.0', '5.0.0', '14.2.0', '3.4.2']) {
      expect(resolveProfile({ vendor: 'OpenEVSE', firmwareVersion }), firmwareVersion).toBe(DEFAULT_PROFILE);
    }
  });

  it('does not apply it to other vendors or when a matched field is unknown', () => {
    expect(resolveProfile({ vendor: 'ABB', firmwareVersion: '4.2.1' })).toBe(DEFAULT_PROFILE);
    expect(resolveProfile({ vendor: 'OpenEVSE', firmwareVersion: null })).toBe(DEFAULT_PROFILE);
    expect(resolveProfile({ vendor: 'OpenEVSE' })).toBe(DEFAULT_PROFILE);
    expect(resolveProfile({ vendor: null, firmwareVersion: '4.2.1' })).toBe(DEFAULT_PROFILE);
    expect(resolveProfile({})).toBe(DEFAULT_PROFILE);
  });

  it('the default profile changes nothing', () => {
    expect(DEFAULT_PROFILE).toEqual({ name: 'default', match: {} });
  });

  it('takes the first entry whose given patterns all match', () => {
    const profiles: QuirkProfile[] = [
      { name: 'model-and-vendor', match: { vendor: /^Acme$/, model: /^Fast/ }, naiveTimestampZone: 'Europe/Berlin' },
      { name: 'vendor-only', match: { vendor: /^Acme$/ }, defaultEnergyUnit: 'kWh' },
      { name: 'catch-all-acme-like', match: { vendor: /acme/i } },
    ];
    expect(resolveProfile({ vendor: 'Acme', model: 'Fast 22' }, profiles).name).toBe('model-and-vendor');
    expect(resolveProfile({ vendor: 'Acme', model: 'Slow 11' }, profiles).name).toBe('vendor-only');
    expect(resolveProfile({ vendor: 'Acme', model: null }, profiles).name).toBe('vendor-only');
    expect(resolveProfile({ vendor: 'ACME GmbH' }, profiles).name).toBe('catch-all-acme-like');
    expect(resolveProfile({ vendor: 'Other' }, profiles)).toBe(DEFAULT_PROFILE);
  });

  it('every built-in entry has a unique name and at least one pattern', () => {
    const names = PROFILES.map((profile) => profile.name);
    expect(new Set(names).size).toBe(names.length);
    for (const profile of PROFILES) expect(Object.keys(profile.match).length, profile.name).toBeGreaterThan(0);
  });
});
