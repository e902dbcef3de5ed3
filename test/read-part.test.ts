import { describe, expect, it } from 'vitest';
import { ParseError } from '../extractors/parse.js';
import { readOrReport, type Problem } from '../extractors/read-part.js';

describe('readOrReport', () => {
  it('returns what was read', () => {
    const problems: Problem[] = [];
    expect(readOrReport(problems, 'loc', 'text', () => 42)).toBe(42);
    expect(problems).toEqual([]);
  });

  it('records an unreadable value as a problem at its locator', () => {
    const problems: Problem[] = [];
    expect(readOrReport(problems, 'dd#released', 'Released: soon', () => { throw new ParseError('a date', 'soon'); })).toBeUndefined();
    expect(problems).toEqual([{ locator: 'dd#released', message: 'cannot read a date from "soon"', excerpt: 'Released: soon' }]);
  });

  it('lets a bug through: a TypeError is not a problem of the page', () => {
    const problems: Problem[] = [];
    const bug = () => (undefined as unknown as { a: number }).a;
    expect(() => readOrReport(problems, 'loc', 'text', bug)).toThrow(TypeError);
    expect(problems).toEqual([]);
  });
});
