/** Listing output: a plain table on screen, `--json` for programs, `--csv` for spreadsheets. */

export type Row = Record<string, unknown>;

/** Control characters in scraped text (raw model names, excerpts) are shown escaped, never sent to the terminal. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function table(rows: Row[], columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const cols = columns ?? Object.keys(rows[0]!);
  const widths = cols.map((c) => Math.min(90, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const fit = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const line = (vals: string[]) => vals.map((v, i) => fit(v, widths[i]!)).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join(
    '\n',
  );
}

function csv(rows: Row[], columns?: string[]): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [cols.join(','), ...rows.map((r) => cols.map((c) => esc(cell(r[c]))).join(','))].join('\n');
}

interface ListFormat {
  json?: boolean;
  csv?: boolean;
}

export function printList(data: unknown[], rows: Row[], fmt: ListFormat, columns?: string[]): void {
  if (fmt.json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else if (fmt.csv) process.stdout.write(`${csv(rows, columns)}\n`);
  else process.stdout.write(`${table(rows, columns)}\n`);
}
