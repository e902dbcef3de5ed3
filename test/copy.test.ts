import { describe, expect, it } from 'vitest';
import { copyField, encoderOf } from '../pipelines/store/copy.js';
import { claimVersions, factOutcomes, factVersions, weekReliability } from '../schema/tables.js';

describe('COPY text format fields', () => {
  it('writes null as \\N and leaves plain text alone', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField('plain text, "quoted" — 価格')).toBe('plain text, "quoted" — 価格');
    expect(copyField(42)).toBe('42');
  });

  it('escapes the four characters COPY reads specially, so text saying \\N stays text', () => {
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('\\N')).toBe('\\\\N');
    // each character alone, and repeated
    expect(copyField('\\\\')).toBe('\\\\\\\\');
    expect(copyField('\n\n')).toBe('\\n\\n');
    expect(copyField('\r')).toBe('\\r');
    expect(copyField('\t\t')).toBe('\\t\\t');
  });
});

describe('COPY fields per column', () => {
  /** What every column wrote before the per-column encoders: its driver mapping, then copyField. */
  const viaDriver = (column: { mapToDriverValue(v: never): unknown }, v: unknown) => copyField(column.mapToDriverValue(v as never));

  it('writes an integer array as the array literal drizzle builds, directly when every element is a number', () => {
    const column = weekReliability.compared;
    const encode = encoderOf(column);
    for (const ids of [[1], [3, 1, 2], [], [9007199254740991, 0, -4]]) expect(encode(ids)).toBe(viaDriver(column, ids));
    expect(encode([3, 1, 2])).toBe('{3,1,2}');
    // anything else still goes through drizzle's mapping: the same text as before
    expect(encode([1, null])).toBe(viaDriver(column, [1, null]));
    expect(encode(['7', 8])).toBe(viaDriver(column, ['7', 8]));
  });

  it('writes text, integers, bytes, numerics and jsonb as their driver mapping does', () => {
    const cases: [{ mapToDriverValue(v: never): unknown }, unknown][] = [
      [claimVersions.excerpt, 'a\tb "q" \\ 価格'],
      [claimVersions.runId, 12],
      [claimVersions.provenanceId, 123456789012],
      [claimVersions.contentHash, '0123456789abcdef0123456789abcdef'],
      [claimVersions.amountUsd, '0.000015'],
      [claimVersions.derived, { rule: 'batch 50%\toff', from: 'a\\b' }],
      [factOutcomes.related, ['m|price|route=a', 'm|price|route=b']],
      [factVersions.candidateRefs, '0200000001000000020001'],
    ];
    for (const [column, v] of cases) expect(encoderOf(column as never)(v)).toBe(viaDriver(column, v));
  });
});
