/**
 * String formats, detected conservatively: a format is claimed only when the whole string matches a strict
 * form, because a wrong format misleads the source picker and the generated OpenAPI more than a missing one.
 * Merging drops a format as soon as one sample of the field does not have it.
 */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const WEB_URI = /^https?:\/\/[^\s/?#]+[^\s]*$/;

export function detectFormat(value: string): string | undefined {
  const n = value.length;
  if (n < 6 || n > 2048) return undefined;
  const c = value.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    if (DATE_TIME.test(value)) return validDate(value.slice(0, 10)) ? 'date-time' : undefined;
    if (DATE.test(value)) return validDate(value) ? 'date' : undefined;
    return undefined;
  }
  if (value.startsWith('http') && WEB_URI.test(value)) {
    try {
      new URL(value);
      return 'uri';
    } catch {
      return undefined;
    }
  }
  if (value.includes('@') && EMAIL.test(value)) return 'email';
  return undefined;
}

function validDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}
