import { describe, expect, it } from 'vitest';
import { settingsFromConfiguration } from './station-settings.js';

const AT = new Date('2026-05-01T00:00:00Z');

describe('settingsFromConfiguration', () => {
  it('reads the keys authorization needs, case-insensitively', () => {
    const settings = settingsFromConfiguration(
      [
        { key: 'SupportedFeatureProfiles', value: 'Core, LocalAuthListManagement,Reservation' },
        { key: 'localauthlistenabled', value: 'TRUE' },
        { key: 'LocalAuthListMaxLength', value: '250' },
        { key: 'SendLocalListMaxLength', value: ' 50 ' },
        { key: 'AuthorizeRemoteTxRequests', value: 'false' },
        { key: 'StopTransactionOnInvalidId', value: 'False' },
        { key: 'AuthorizationCacheEnabled', value: 'true' },
        { key: 'HeartbeatInterval', value: '300' },
      ],
      AT,
    );
    expect(settings).toEqual({
      localListManagement: true,
      localAuthListEnabled: true,
      localAuthListMaxLength: 250,
      sendLocalListMaxLength: 50,
      authorizeRemoteTxRequests: false,
      stopTransactionOnInvalidId: false,
      authorizationCacheEnabled: true,
      readAt: AT,
    });
  });

  it('leaves what the station did not report, or reported unreadably, unknown', () => {
    expect(settingsFromConfiguration([{ key: 'LocalAuthListMaxLength', value: 'lots' }, { key: 'LocalAuthListEnabled' }], AT)).toEqual({
      localListManagement: null,
      localAuthListEnabled: null,
      localAuthListMaxLength: null,
      sendLocalListMaxLength: null,
      authorizeRemoteTxRequests: null,
      stopTransactionOnInvalidId: null,
      authorizationCacheEnabled: null,
      readAt: AT,
    });
  });

  it('knows a station without the LocalAuthListManagement profile', () => {
    expect(settingsFromConfiguration([{ key: 'SupportedFeatureProfiles', value: 'Core,SmartCharging' }], AT).localListManagement).toBe(false);
  });
});
