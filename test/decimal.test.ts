import { describe, expect, it } from 'vitest';
import { compare, decimal, DecimalError, multiply, shift, subtract } from '../schema/decimal.js';

describe('exact decimals', () => {
  it('canonicalizes without float error', () => {
    expect(decimal('0.200')).toBe('0.2');
    expect(decimal('2.00')).toBe('2');
    expect(decimal(2e-7)).toBe('0.0000002');
    expect(decimal('2e-7')).toBe('0.0000002');
    expect(decimal('-1')).toBe('-1');
  });

  it('shifts per-token prices to per-1M exactly', () => {
    expect(shift('0.0000002', 6)).toBe('0.2');
    expect(shift(2.5e-6, 6)).toBe('2.5');
    expect(shift('0.000008', 6)).toBe('8');
    expect(shift('3', -6)).toBe('0.000003');
    // the float product would be 0.30000000000000004
    expect(shift(3e-7, 6)).toBe('0.3');
  });

  it('multiplies and compares by meaning', () => {
    expect(multiply('0.0000000035', 1024 * 1024)).toBe('0.003670016');
    expect(compare('0.20', '0.2')).toBe(0);
    expect(compare('0.011', '0.0110')).toBe(0);
    expect(compare('0.005', '0.011')).toBe(-1);
    expect(subtract('0.011', '0.005')).toBe('0.006');
  });

  it('rejects text that is not a number, naming it', () => {
    expect(() => decimal('two dollars')).toThrow(DecimalError);
    expect(() => decimal('two dollars')).toThrow(/two dollars/);
    expect(() => decimal(Number.NaN)).toThrow(DecimalError);
  });
});
