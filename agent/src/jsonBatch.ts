/**
 * Objects already serialized to JSON, collected up to a count and a byte
 * budget. The body is assembled from the pieces, so nothing is serialized
 * twice and a retry sends the very same bytes.
 */
export class JsonBatch {
  private readonly items: string[] = [];
  private bytes = 0;
  private readonly maxItems: number;
  private readonly maxBytes: number;

  constructor(maxItems: number, maxBytes: number) {
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
  }

  get count(): number {
    return this.items.length;
  }

  /** False when full. An item larger than the budget still goes into an empty batch. */
  tryAdd(json: string): boolean {
    if (this.items.length >= this.maxItems) return false;
    if (this.items.length > 0 && this.bytes + json.length > this.maxBytes)
      return false;
    this.items.push(json);
    this.bytes += json.length + 1;
    return true;
  }

  /** `{...header, [field]: [items]}` as JSON. */
  toJson(header: Record<string, unknown>, field: string): string {
    const head = JSON.stringify(header).slice(0, -1);
    return `${head},${JSON.stringify(field)}:[${this.items.join(',')}]}`;
  }
}
