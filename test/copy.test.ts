import { describe, expect, it } from 'vitest';
import { copyField } from '../pipelines/store/copy.js';

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
  });
});
