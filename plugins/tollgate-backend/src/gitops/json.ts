/** A plain JSON map (not an array, not null). */
export type JsonMap = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
