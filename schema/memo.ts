/**
 * A pure function remembered by a text key, for the few thousand distinct
 * inputs a week's tens of thousands of claims repeat (URLs, dates, prices,
 * fetch times). Bounded: past `max` entries it starts again, so a long-lived
 * process never grows with what it has seen.
 */
export function memoized<A, T>(fn: (a: A) => T, keyOf: (a: A) => string, max = 10_000): (a: A) => T {
  const cache = new Map<string, T>();
  return (a) => {
    const key = keyOf(a);
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as T;
    const out = fn(a);
    if (cache.size >= max) cache.clear();
    cache.set(key, out);
    return out;
  };
}

/** The same, for a function of one text. */
export const memoizedText = <T>(fn: (text: string) => T, max?: number): ((text: string) => T) => memoized(fn, (t) => t, max);
