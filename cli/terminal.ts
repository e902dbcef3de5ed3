/**
 * Scraped text reaches the terminal as text, never as commands: C0 and C1
 * control characters (ESC starts every escape sequence: screen clear, title
 * change, OSC 8 hidden links; U+009B is a one-character CSI) and the bidi
 * overrides that make text read differently from what it is are shown as
 * \uXXXX. That escape is also valid inside a JSON string, so a JSON document
 * passed through stays the same JSON.
 */

// matching control characters is the point here
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_CELL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Multi-line text (a report, a diff): newlines and tabs kept, every other control character escaped. */
export function safeText(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, escapeChar);
}

/** One table cell: newlines and tabs escaped too, so a value cannot break the table's lines. */
export function safeCell(text: string): string {
  return text.replace(UNSAFE_IN_CELL, escapeChar);
}

/** A plain number ("-0.5", "+3") starts with a sign but is no formula. */
const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * A CSV cell a spreadsheet will not run: one starting with =, +, -, @, tab or
 * CR is a formula to Excel, LibreOffice and Google Sheets (OWASP "CSV
 * injection"); a leading apostrophe makes it text. Plain numbers are left alone.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}
