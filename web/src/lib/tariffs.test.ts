import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT, restrictionsText, tariffFromDraft } from './tariffs';

describe('tariffFromDraft', () => {
  it('builds one element with a component per given price, VAT on each', () => {
    const result = tariffFromDraft({ ...EMPTY_DRAFT, name: 'Standard', vatPercent: '19', energyPerKwh: '0,30', parkingPerHour: '6', parkingGraceMinutes: '30', flatFee: '1' });
    expect(result).toEqual({
      tariff: {
        currency: 'EUR',
        elements: [
          {
            price_components: [
              { type: 'ENERGY', price: 0.3, vat: 19, step_size: 1 },
              { type: 'PARKING_TIME', price: 6, vat: 19, step_size: 60 },
              { type: 'FLAT', price: 1, vat: 19, step_size: 1 },
            ],
          },
        ],
        tariff_alt_text: [{ language: 'en', text: 'Standard' }],
        idle_grace_minutes: 30,
      },
    });
  });

  it('puts a time window first, so that it wins while it applies', () => {
    const result = tariffFromDraft({ ...EMPTY_DRAFT, currency: 'chf', energyPerKwh: '0.40', window: { energyPerKwh: '0.20', from: '22:00', to: '06:00' }, maxPrice: '50' });
    expect(result).toEqual({
      tariff: {
        currency: 'CHF',
        elements: [
          { price_components: [{ type: 'ENERGY', price: 0.2, step_size: 1 }], restrictions: { start_time: '22:00', end_time: '06:00' } },
          { price_components: [{ type: 'ENERGY', price: 0.4, step_size: 1 }] },
        ],
        max_price: { excl_vat: 50 },
      },
    });
  });

  it('says what is wrong instead of building a tariff', () => {
    expect(tariffFromDraft(EMPTY_DRAFT)).toEqual({ problem: 'Give at least one price (energy, time, idle time or session fee)' });
    expect(tariffFromDraft({ ...EMPTY_DRAFT, energyPerKwh: 'abc' })).toEqual({ problem: 'Energy price "abc" is not an amount of 0 or more' });
    expect(tariffFromDraft({ ...EMPTY_DRAFT, flatFee: '2', minPrice: '5', maxPrice: '3' })).toEqual({ problem: 'The minimum price is above the maximum price' });
    expect(tariffFromDraft({ ...EMPTY_DRAFT, flatFee: '2', window: { energyPerKwh: '0.1', from: '08:00', to: '08:00' } })).toMatchObject({ problem: expect.stringContaining('time window') });
  });
});

describe('restrictionsText', () => {
  it('reads restrictions as words', () => {
    expect(restrictionsText(undefined)).toBe('always');
    expect(restrictionsText({ start_time: '22:00', end_time: '06:00', day_of_week: ['SATURDAY', 'SUNDAY'] })).toBe('from 22:00 to 06:00 (site time), on Saturday, Sunday');
  });
});
