import { describe, expect, it } from 'vitest';
import { memoized, memoizedText } from '../schema/memo.js';

describe('memoized', () => {
  it('computes each key once, undefined results included, and starts again past its bound', () => {
    const calls: string[] = [];
    const f = memoizedText((t) => {
      calls.push(t);
      return t === 'none' ? undefined : t.length;
    }, 3);
    expect([f('ab'), f('ab'), f('none'), f('none'), f('abc')]).toEqual([2, 2, undefined, undefined, 3]);
    expect(calls).toEqual(['ab', 'none', 'abc']);
    f('abcd'); // the fourth key: the cache starts again
    f('ab');
    expect(calls).toEqual(['ab', 'none', 'abc', 'abcd', 'ab']);
  });

  it('keys by the given text, and does not remember a throw', () => {
    let n = 0;
    const g = memoized((d: { p: string; v: number }) => {
      n++;
      if (d.v < 0) throw new RangeError('negative');
      return d.v * 2;
    }, (d) => `${d.p}:${d.v}`);
    expect(g({ p: 'a', v: 1 })).toBe(2);
    expect(g({ p: 'a', v: 1 })).toBe(2);
    expect(() => g({ p: 'a', v: -1 })).toThrow('negative');
    expect(() => g({ p: 'a', v: -1 })).toThrow('negative');
    expect(n).toBe(3);
  });
});
