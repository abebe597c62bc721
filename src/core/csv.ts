/**
 * CSV as RFC 4180 writes it (CRLF line ends; a field with a comma, quote or line break is quoted,
 * quotes doubled), safe to open in a spreadsheet: a text cell that starts with `=`, `+`, `-` or `@`
 * (or a tab or carriage return) is prefixed with `'`, so it is never run as a formula.
 */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(value: string | number): string {
  // Numbers are ours, not user text: a negative number stays a number.
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
