// The OCPI 2.2.1 Tariff object (section 11.3.1) as the API accepts it, plus two extension
// fields OCPI lacks: an idle grace period and an idle fee cap. The JSON schema checks shapes;
// `tariffProblems` checks what a schema cannot (real currency, real dates, min below max).

import { Type, type Static, type TSchema } from 'typebox';

const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Local time of the site, HH:MM' });
const LocalDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'Local date of the site, YYYY-MM-DD' });
const NonNegative = Type.Number({ minimum: 0 });
const Seconds = Type.Integer({ minimum: 0 });

export const DAYS_OF_WEEK = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export const COMPONENT_TYPES = ['ENERGY', 'FLAT', 'PARKING_TIME', 'TIME'] as const;
export type ComponentType = (typeof COMPONENT_TYPES)[number];

const PriceComponent = Type.Object(
  {
    type: Type.Enum(COMPONENT_TYPES),
    price: Type.Number({ minimum: 0, description: 'Excluding VAT: per kWh (ENERGY), per hour (TIME, PARKING_TIME), per session (FLAT)' }),
    vat: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'VAT percentage; absent: no VAT applies' })),
    step_size: Type.Integer({ minimum: 0, description: 'Billed in blocks of this many Wh (ENERGY) or seconds (TIME, PARKING_TIME)' }),
  },
  { additionalProperties: false },
);

const Restrictions = Type.Object(
  {
    start_time: Type.Optional(Time),
    end_time: Type.Optional(Time),
    start_date: Type.Optional(LocalDate),
    end_date: Type.Optional(LocalDate),
    min_kwh: Type.Optional(NonNegative),
    max_kwh: Type.Optional(NonNegative),
    min_current: Type.Optional(NonNegative),
    max_current: Type.Optional(NonNegative),
    min_power: Type.Optional(NonNegative),
    max_power: Type.Optional(NonNegative),
    min_duration: Type.Optional(Seconds),
    max_duration: Type.Optional(Seconds),
    day_of_week: Type.Optional(Type.Array(Type.Enum(DAYS_OF_WEEK), { minItems: 1, uniqueItems: true })),
    reservation: Type.Optional(Type.Enum(['RESERVATION', 'RESERVATION_EXPIRES'])),
  },
  { additionalProperties: false },
);

const TariffElement = Type.Object(
  { price_components: Type.Array(PriceComponent, { minItems: 1 }), restrictions: Type.Optional(Restrictions) },
  { additionalProperties: false },
);

const Price = Type.Object({ excl_vat: NonNegative, incl_vat: Type.Optional(NonNegative) }, { additionalProperties: false });

/** Every field of a tariff but currency and elements, which are required. */
const optionalFields = {
  country_code: Type.String({ pattern: '^[A-Z]{2}$' }),
  party_id: Type.String({ pattern: '^[A-Z0-9]{3}$' }),
  type: Type.Enum(['AD_HOC_PAYMENT', 'PROFILE_CHEAPEST', 'PROFILE_FASTEST', 'PROFILE_GREEN', 'REGULAR']),
  tariff_alt_text: Type.Array(
    Type.Object({ language: Type.String({ pattern: '^[a-z]{2}$' }), text: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false }),
  ),
  tariff_alt_url: Type.String({ format: 'uri', maxLength: 2048 }),
  min_price: Price,
  max_price: Price,
  energy_mix: Type.Object({}, { additionalProperties: true, description: 'OCPI EnergyMix, stored as given' }),
  start_date_time: Type.String({ format: 'date-time', description: 'Informative: assignments decide which sessions use the tariff' }),
  end_date_time: Type.String({ format: 'date-time', description: 'Informative: assignments decide which sessions use the tariff' }),
  idle_grace_minutes: Type.Number({ minimum: 0, maximum: 10_080, description: 'Extension: idle minutes per session before PARKING_TIME is billed' }),
  idle_fee_cap: Type.Number({ minimum: 0, description: 'Extension: most PARKING_TIME may cost per session, excluding VAT' }),
};
const requiredFields = {
  currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
  elements: Type.Array(TariffElement, { minItems: 1 }),
};

type OptionalOf<T extends Record<string, TSchema>> = { [K in keyof T]: ReturnType<typeof Type.Optional<T[K]>> };
const optionals = <T extends Record<string, TSchema>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).map(([name, schema]) => [name, Type.Optional(schema)])) as OptionalOf<T>;

/** POST body: a whole tariff; `id` and `last_updated` are ours. */
export const TariffBody = Type.Object({ ...requiredFields, ...optionals(optionalFields) }, { additionalProperties: false });
export type OcpiTariffBody = Static<typeof TariffBody>;
export type TariffElementBody = Static<typeof TariffElement>;
export type RestrictionsBody = Static<typeof Restrictions>;
export type PriceComponentBody = Static<typeof PriceComponent>;

const nullables = <T extends Record<string, TSchema>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).map(([name, schema]) => [name, Type.Optional(Type.Union([schema, Type.Null()]))])) as {
    [K in keyof T]: ReturnType<typeof Type.Optional<ReturnType<typeof Type.Union<[T[K], ReturnType<typeof Type.Null>]>>>>;
  };

/** PATCH body: top-level fields to replace; null removes an optional one. */
export const TariffPatch = Type.Object({ ...optionals(requiredFields), ...nullables(optionalFields) }, { additionalProperties: false });
export type TariffPatchBody = Static<typeof TariffPatch>;

/** The tariff as the API answers: the OCPI object with our id, its last change and version. */
export const TariffJson = Type.Intersect([
  TariffBody,
  Type.Object({ id: Type.String(), last_updated: Type.String({ format: 'date-time' }), version: Type.Integer({ minimum: 1 }) }),
]);

export function applyPatch(current: OcpiTariffBody, patch: TariffPatchBody): OcpiTariffBody {
  const merged: Record<string, unknown> = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete merged[name];
    else if (value !== undefined) merged[name] = value;
  }
  return merged as OcpiTariffBody;
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

function isRealDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** What is wrong with a tariff beyond its shape, each with the JSON pointer of the field. */
export function tariffProblems(tariff: OcpiTariffBody): { field: string; detail: string }[] {
  const problems: { field: string; detail: string }[] = [];
  if (!CURRENCIES.has(tariff.currency)) problems.push({ field: '/currency', detail: `currency "${tariff.currency}" is not an ISO 4217 currency` });
  const pairs = [
    ['min_kwh', 'max_kwh'],
    ['min_current', 'max_current'],
    ['min_power', 'max_power'],
    ['min_duration', 'max_duration'],
  ] as const;
  tariff.elements.forEach((element, index) => {
    const at = `/elements/${index}/restrictions`;
    const r = element.restrictions ?? {};
    for (const [low, high] of pairs) {
      if (r[low] !== undefined && r[high] !== undefined && r[low] >= r[high]) problems.push({ field: `${at}/${high}`, detail: `${high} must be above ${low}` });
    }
    for (const name of ['start_date', 'end_date'] as const) {
      const value = r[name];
      if (value !== undefined && !isRealDate(value)) problems.push({ field: `${at}/${name}`, detail: `${name} "${value}" is not a date` });
    }
    if (r.start_date && r.end_date && r.end_date <= r.start_date) problems.push({ field: `${at}/end_date`, detail: 'end_date (exclusive) must be after start_date' });
    if (r.start_time !== undefined && r.start_time === r.end_time) problems.push({ field: `${at}/end_time`, detail: 'end_time equals start_time: leave both out for the whole day' });
    const types = element.price_components.map((component) => component.type);
    const twice = types.find((type, i) => types.indexOf(type) !== i);
    if (twice) problems.push({ field: `/elements/${index}/price_components`, detail: `price component ${twice} appears twice in one element` });
  });
  if (tariff.min_price && tariff.max_price && tariff.min_price.excl_vat > tariff.max_price.excl_vat) {
    problems.push({ field: '/max_price/excl_vat', detail: 'max_price must not be below min_price' });
  }
  return problems;
}
