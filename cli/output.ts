/** Listing output: a plain table on screen, `--json` for programs, `--csv` for spreadsheets. */
import { neutraliseFormula, safeCell, safeText } from './terminal.js';

export type Row = Record<string, unknown>;

/** Scraped text for a terminal (see terminal.ts). */
export const terminalSafe = safeText;

function raw(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A table cell: control characters shown escaped (see terminal.ts). */
const cell = (v: unknown) => safeCell(raw(v));

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
  // a formula is neutralised first (a leading tab or CR counts), then control characters other than newlines are escaped
  const csvCell = (v: unknown) => esc(safeText(neutraliseFormula(raw(v))).replace(/\t/g, '\\u0009'));
  return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n');
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
