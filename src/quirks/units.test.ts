import { describe, expect, it } from 'vitest';
import { defaultUnitFor, normalizeSampledValue } from './units.js';

describe('normalizeSampledValue', () => {
  it('converts kWh to exact Wh by decimal shift, without binary rounding', () => {
    expect(normalizeSampledValue('12.345', 'kWh')).toEqual({ value: 12345, unit: 'Wh' });
    // 1.001 * 1000 === 1000.9999999999999 in floating point; the decimal shift is exact.
    expect(1.001 * 1000).not.toBe(1001);
    expect(normalizeSampledValue('1.001', 'kWh')).toEqual({ value: 1001, unit: 'Wh' });
    expect(normalizeSampledValue('4.35', 'kWh')).toEqual({ value: 4350, unit: 'Wh' });
    expect(normalizeSampledValue('0.001', 'kWh')).toEqual({ value: 1, unit: 'Wh' });
    expect(normalizeSampledValue('7', 'kWh')).toEqual({ value: 7000, unit: 'Wh' });
    expect(normalizeSampledValue('12345.6789', 'kWh')).toEqual({ value: 12345678.9, unit: 'Wh' });
  });

  it('converts the other kilo units to their base unit', () => {
    expect(normalizeSampledValue('7.4', 'kW')).toEqual({ value: 7400, unit: 'W' });
    expect(normalizeSampledValue('1.5', 'kvarh')).toEqual({ value: 1500, unit: 'varh' });
    expect(normalizeSampledValue('0.25', 'kvar')).toEqual({ value: 250, unit: 'var' });
    expect(normalizeSampledValue('11', 'kVA')).toEqual({ value: 11000, unit: 'VA' });
  });

  it('keeps base units as they are', () => {
    expect(normalizeSampledValue('1500', 'Wh')).toEqual({ value: 1500, unit: 'Wh' });
    expect(normalizeSampledValue('1500.5', 'Wh')).toEqual({ value: 1500.5, unit: 'Wh' });
    expect(normalizeSampledValue('16', 'A')).toEqual({ value: 16, unit: 'A' });
    expect(normalizeSampledValue('230.1', 'V')).toEqual({ value: 230.1, unit: 'V' });
    expect(normalizeSampledValue('80', 'Percent')).toEqual({ value: 80, unit: 'Percent' });
  });

  it('keeps the sign of negative values', () => {
    expect(normalizeSampledValue('-0.5', 'kW')).toEqual({ value: -500, unit: 'W' });
    expect(normalizeSampledValue('-1200', 'W')).toEqual({ value: -1200, unit: 'W' });
  });

  it('reads a decimal comma', () => {
    expect(normalizeSampledValue('12,5', 'kWh')).toEqual({ value: 12500, unit: 'Wh' });
    expect(normalizeSampledValue('230,4', 'V')).toEqual({ value: 230.4, unit: 'V' });
  });

  it('reads scientific notation and surrounding white space', () => {
    expect(normalizeSampledValue('1.2345678E7', 'Wh')).toEqual({ value: 12345678, unit: 'Wh' });
    expect(normalizeSampledValue('1.5e1', 'kWh')).toEqual({ value: 15000, unit: 'Wh' });
    expect(normalizeSampledValue(' 42 ', 'A')).toEqual({ value: 42, unit: 'A' });
  });

  it('gives no number for signed data or other non-numeric text, but still names the canonical unit', () => {
    const signed = 'AP;0;3;ALCV3ABBBISHMA2RYEGAZE3HV5YQBQRQAEHAR2MN;BIHEIWSHAAA2W2V7OYYDCNQAAAFACRC2I4ADGAETI4AAAABAOOJYUAGMXEGV4AIAAEEAB7Y6AAO3EAIAAAAAAABQGQ2UINJZGZATGOJ';
    expect(normalizeSampledValue(signed, 'kWh')).toEqual({ value: null, unit: 'Wh' });
    expect(normalizeSampledValue('n/a', 'W')).toEqual({ value: null, unit: 'W' });
    expect(normalizeSampledValue('', 'Wh')).toEqual({ value: null, unit: 'Wh' });
    expect(normalizeSampledValue('1,234,567', 'Wh')).toEqual({ value: null, unit: 'Wh' });
  });

  it('maps the 1.6 schema misspelling "Celcius" to Celsius', () => {
    expect(normalizeSampledValue('21.5', 'Celcius')).toEqual({ value: 21.5, unit: 'Celsius' });
    expect(normalizeSampledValue('21.5', 'Celsius')).toEqual({ value: 21.5, unit: 'Celsius' });
    expect(normalizeSampledValue('300', 'K')).toEqual({ value: 300, unit: 'K' });
  });

  it('passes an unknown unit through with the number', () => {
    expect(normalizeSampledValue('3', 'parsecs')).toEqual({ value: 3, unit: 'parsecs' });
  });
});

describe('defaultUnitFor', () => {
  it('gives the OCPP default units per measurand', () => {
    expect(defaultUnitFor('Energy.Active.Import.Register')).toBe('Wh');
    expect(defaultUnitFor('Energy.Active.Export.Interval')).toBe('Wh');
    expect(defaultUnitFor('Energy.Reactive.Import.Register')).toBe('varh');
    expect(defaultUnitFor('Power.Active.Import')).toBe('W');
    expect(defaultUnitFor('Power.Offered')).toBe('W');
    expect(defaultUnitFor('Power.Reactive.Export')).toBe('var');
    expect(defaultUnitFor('Current.Import')).toBe('A');
    expect(defaultUnitFor('Voltage')).toBe('V');
    expect(defaultUnitFor('SoC')).toBe('Percent');
    expect(defaultUnitFor('Temperature')).toBe('Celsius');
    expect(defaultUnitFor('Frequency')).toBe('Hz');
    expect(defaultUnitFor('RPM')).toBe('RPM');
    expect(defaultUnitFor('Power.Factor')).toBe('');
  });

  it('uses the profile energy default for active energy only', () => {
    expect(defaultUnitFor('Energy.Active.Import.Register', 'kWh')).toBe('kWh');
    expect(defaultUnitFor('Energy.Reactive.Import.Register', 'kWh')).toBe('varh');
  });
});
