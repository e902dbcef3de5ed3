/** The reason a source is `partial`: how many discovered pages were missing, with the first one and why. */
export function missingPageReason(missing: readonly string[], pages: readonly { url: string; error?: string }[]): string {
  const first = pages.find((p) => p.url === missing[0])?.error ?? missing[0];
  return `${missing.length} page(s) linked from the index missing, published without them, e.g. ${first}`;
}
