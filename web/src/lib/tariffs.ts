// OCPI 2.2.1 tariffs for people: a name, what each price component costs in words, and the
// common tariff (energy, time, idle time with a grace period, a session fee, optionally a
// different energy price in a daily time window) built from a few form fields.

import { get } from '../api/client';
import type { PriceComponent, Tariff, TariffRestrictions } from '../api/types';
import { formatMoney } from './format';
import { useResource } from './use-resource';

/** OCPI has no name field; the first alternative text serves as one. */
export const tariffName = (tariff: Pick<Tariff, 'id' | 'tariff_alt_text'>) => tariff.tariff_alt_text?.find((text) => text.text.trim())?.text ?? tariff.id;

/** All tariffs, or nothing when the backend has no tariffs API (`enabled` false). */
export function useTariffs(enabled: boolean) {
  return useResource(() => (enabled ? get<Tariff[]>('/api/v1/tariffs') : Promise.resolve([] as Tariff[])), [enabled]);
}

const PER: Record<string, string> = { ENERGY: 'per kWh', TIME: 'per hour charging', PARKING_TIME: 'per hour idle', FLAT: 'per session' };
const NAME: Record<string, string> = { ENERGY: 'Energy', TIME: 'Charging time', PARKING_TIME: 'Idle time (parking)', FLAT: 'Session fee' };

export const componentName = (type: string) => NAME[type] ?? type;

/** "€0.30 per kWh + 19 % VAT, billed per 1 Wh". */
export function componentText(component: PriceComponent, currency: string): string {
  const vat = component.vat != null ? ` + ${component.vat} % VAT` : '';
  const step = component.step_size && component.type !== 'FLAT' ? `, billed per ${stepText(component)}` : '';
  return `${formatMoney(component.price, currency)} ${PER[component.type] ?? component.type}${vat}${step}`;
}

function stepText(component: PriceComponent): string {
  const size = component.step_size ?? 0;
  if (component.type === 'ENERGY') return size >= 1000 ? `${size / 1000} kWh` : `${size} Wh`;
  return size >= 60 && size % 60 === 0 ? `${size / 60} min` : `${size} s`;
}

/** When an element applies, in words; "always" without restrictions. */
export function restrictionsText(restrictions: TariffRestrictions | undefined): string {
  if (!restrictions) return 'always';
  const parts: string[] = [];
  if (restrictions.start_time || restrictions.end_time) parts.push(`from ${restrictions.start_time ?? '00:00'} to ${restrictions.end_time ?? '24:00'} (site time)`);
  if (restrictions.day_of_week?.length) parts.push(`on ${restrictions.day_of_week.map((day) => day.charAt(0) + day.slice(1).toLowerCase()).join(', ')}`);
  if (typeof restrictions.min_duration === 'number') parts.push(`after ${Math.round(restrictions.min_duration / 60)} min`);
  if (typeof restrictions.max_duration === 'number') parts.push(`up to ${Math.round(restrictions.max_duration / 60)} min`);
  const known = new Set(['start_time', 'end_time', 'day_of_week', 'min_duration', 'max_duration']);
  for (const [name, value] of Object.entries(restrictions)) if (!known.has(name) && value !== undefined) parts.push(`${name} ${JSON.stringify(value)}`);
  return parts.length > 0 ? parts.join(', ') : 'always';
}

/** The simple tariff form's fields: prices excluding VAT as typed (empty: not charged). */
export interface TariffDraft {
  name: string;
  currency: string;
  vatPercent: string;
  energyPerKwh: string;
  timePerHour: string;
  parkingPerHour: string;
  parkingGraceMinutes: string;
  flatFee: string;
  /** A different energy price in a daily window (site time), e.g. off-peak at night. */
  window: { energyPerKwh: string; from: string; to: string } | null;
  minPrice: string;
  maxPrice: string;
}

export const EMPTY_DRAFT: TariffDraft = {
  name: '',
  currency: 'EUR',
  vatPercent: '',
  energyPerKwh: '',
  timePerHour: '',
  parkingPerHour: '',
  parkingGraceMinutes: '',
  flatFee: '',
  window: null,
  minPrice: '',
  maxPrice: '',
};

/** Billing blocks: per Wh for energy, per minute for time (what drivers expect to see). */
const STEP = { ENERGY: 1, TIME: 60, PARKING_TIME: 60, FLAT: 1 } as const;

/** The OCPI tariff the draft describes, or the reason it cannot be one. */
export function tariffFromDraft(draft: TariffDraft): { tariff: Record<string, unknown> } | { problem: string } {
  const amount = (text: string, what: string): number | undefined => {
    if (text.trim() === '') return undefined;
    const value = Number(text.replace(',', '.'));
    if (!Number.isFinite(value) || value < 0) throw new Error(`${what} "${text}" is not an amount of 0 or more`);
    return value;
  };
  try {
    const vat = amount(draft.vatPercent, 'VAT');
    if (vat !== undefined && vat > 100) return { problem: 'VAT is a percentage from 0 to 100' };
    const component = (type: keyof typeof STEP, price: number | undefined): PriceComponent[] =>
      price === undefined ? [] : [{ type, price, ...(vat !== undefined ? { vat } : {}), step_size: STEP[type] }];
    const standard = [
      ...component('ENERGY', amount(draft.energyPerKwh, 'Energy price')),
      ...component('TIME', amount(draft.timePerHour, 'Time price')),
      ...component('PARKING_TIME', amount(draft.parkingPerHour, 'Idle price')),
      ...component('FLAT', amount(draft.flatFee, 'Session fee')),
    ];
    if (standard.length === 0) return { problem: 'Give at least one price (energy, time, idle time or session fee)' };
    const elements: Tariff['elements'] = [];
    if (draft.window) {
      const { from, to } = draft.window;
      if (!from || !to || from === to) return { problem: 'The time window needs a start and a different end (HH:MM)' };
      const price = amount(draft.window.energyPerKwh, 'Energy price in the time window');
      if (price === undefined) return { problem: 'Give the energy price for the time window' };
      // OCPI takes the first element whose restrictions match, per component type.
      elements.push({ price_components: component('ENERGY', price), restrictions: { start_time: from, end_time: to } });
    }
    elements.push({ price_components: standard });
    const grace = amount(draft.parkingGraceMinutes, 'Grace period');
    const min = amount(draft.minPrice, 'Minimum price');
    const max = amount(draft.maxPrice, 'Maximum price');
    if (min !== undefined && max !== undefined && min > max) return { problem: 'The minimum price is above the maximum price' };
    const name = draft.name.trim();
    return {
      tariff: {
        currency: draft.currency.trim().toUpperCase(),
        elements,
        ...(name ? { tariff_alt_text: [{ language: 'en', text: name }] } : {}),
        ...(min !== undefined ? { min_price: { excl_vat: min } } : {}),
        ...(max !== undefined ? { max_price: { excl_vat: max } } : {}),
        // Extension field (OCPI has no idle grace period): idle minutes not billed.
        ...(grace !== undefined && draft.parkingPerHour.trim() !== '' ? { idle_grace_minutes: grace } : {}),
      },
    };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}
