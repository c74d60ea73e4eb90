/**
 * PostgreSQL returns timestamps as Date, SQLite as epoch milliseconds or
 * text; the API always speaks ISO 8601.
 */
export function toIsoString(value: Date | string | number): string {
  return new Date(value).toISOString();
}
