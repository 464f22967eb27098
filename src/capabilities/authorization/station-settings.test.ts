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
      chargingRateUnits: null,
      chargeProfileMaxStackLevel: null,
      chargingScheduleMaxPeriods: null,
      maxChargingProfilesInstalled: null,
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
      chargingRateUnits: null,
      chargeProfileMaxStackLevel: null,
      chargingScheduleMaxPeriods: null,
      maxChargingProfilesInstalled: null,
      readAt: AT,
    });
  });

  it('knows a station without the LocalAuthListManagement profile', () => {
    expect(settingsFromConfiguration([{ key: 'SupportedFeatureProfiles', value: 'Core,SmartCharging' }], AT).localListManagement).toBe(false);
  });

  it('reads the smart charging keys load management needs', () => {
    const settings = settingsFromConfiguration(
      [
        { key: 'ChargingScheduleAllowedChargingRateUnit', value: 'Power' },
        { key: 'ChargeProfileMaxStackLevel', value: '3' },
        { key: 'ChargingScheduleMaxPeriods', value: '24' },
        { key: 'MaxChargingProfilesInstalled', value: '10' },
      ],
      AT,
    );
    expect(settings).toMatchObject({ chargingRateUnits: ['W'], chargeProfileMaxStackLevel: 3, chargingScheduleMaxPeriods: 24, maxChargingProfilesInstalled: 10 });
    expect(settingsFromConfiguration([{ key: 'ChargingScheduleAllowedChargingRateUnit', value: 'Current, Power' }], AT).chargingRateUnits).toEqual(['A', 'W']);
  });
});
