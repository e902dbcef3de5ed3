import { describe, expect, it } from 'vitest';
import {
  cleanText,
  isAbsent,
  parseCount,
  parseDate,
  parseModalities,
  parseMoney,
  parsePrice,
  parseQuality,
  parseSize,
  ParseError,
} from '../extractors/parse.js';

describe('shared parsers', () => {
  it('reads money and prices with units', () => {
    expect(parseMoney('$0.0100')).toBe('0.01');
    expect(parseMoney('read $0.200')).toBe('0.2');
    expect(parseMoney('$1.005k')).toBe('1005');
    expect(parsePrice('$2.00 / 1M')).toEqual({ usd: '2', unit: 'per_1m_tokens' });
    expect(parsePrice('$0.0100 per generated image')).toEqual({ usd: '0.01', unit: 'per_image' });
    expect(parsePrice('$0.04 per image')).toEqual({ usd: '0.04', unit: 'per_image' });
    expect(parsePrice('$8.00', 'per_1m_tokens')).toEqual({ usd: '8', unit: 'per_1m_tokens' });
    expect(() => parsePrice('$8.00')).toThrow(ParseError);
    expect(() => parseMoney('free')).toThrow(/free/);
  });

  it('reads dates at the precision stated', () => {
    expect(parseDate('2025-10-06')).toEqual({ kind: 'date', date: '2025-10-06', precision: 'day' });
    expect(parseDate('October 6, 2025')).toEqual({ kind: 'date', date: '2025-10-06', precision: 'day' });
    expect(parseDate('last verified on April 4, 2026.')).toEqual({ kind: 'date', date: '2026-04-04', precision: 'day' });
    expect(parseDate('Jan 2025')).toEqual({ kind: 'date', date: '2025-01', precision: 'month' });
    expect(parseDate('released in January 2025')).toEqual({ kind: 'date', date: '2025-01', precision: 'month' });
    expect(parseDate('2026-04-19T03:14:20+00:00')).toEqual({ kind: 'date', date: '2026-04-19', precision: 'day' });
    expect(parseDate('2025-10')).toEqual({ kind: 'date', date: '2025-10', precision: 'month' });
    expect(parseDate('2025')).toEqual({ kind: 'date', date: '2025', precision: 'year' });
    expect(() => parseDate('2025-02-30')).toThrow(ParseError);
    expect(() => parseDate('soon')).toThrow(/soon/);
  });

  it('reads counts, sizes, qualities, modalities and absences', () => {
    expect(parseCount('128,000')).toBe(128000);
    expect(parseCount('128K tokens')).toBe(128000);
    expect(parseCount('1.05M')).toBe(1050000);
    expect(parseSize('1024×1024')).toBe('1024x1024');
    expect(parseSize('1024-x-1536')).toBe('1024x1536');
    expect(parseQuality('Low quality')).toBe('low');
    expect(parseQuality('HD')).toBe('hd');
    expect(parseModalities('Text, image')).toEqual(['image', 'text']);
    expect(isAbsent('Not sourced')).toBe(true);
    expect(isAbsent(' - ')).toBe(true);
    expect(isAbsent('$0.20')).toBe(false);
    expect(cleanText(' a\u00a0 b\n')).toBe('a b');
  });
});

describe('normalized vocabularies', () => {
  it('maps openness wordings to one term', async () => {
    const { canonicalOpenness } = await import('../pipelines/normalize/normalize.js');
    expect(canonicalOpenness('Proprietary')).toBe('closed weights');
    expect(canonicalOpenness('closed weights')).toBe('closed weights');
    expect(canonicalOpenness('Open weights')).toBe('open weights');
    expect(canonicalOpenness('Open-source')).toBe('open weights');
    expect(canonicalOpenness('research preview')).toBe('research preview');
  });
});
