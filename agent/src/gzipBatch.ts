import { createGzip, type Gzip } from 'node:zlib';

/** JSON handed to zlib in pieces of about this size. */
const CHUNK_CHARS = 64 * 1024;

/**
 * A JSON body `{...header, [field]: [items], ...trailer}`, gzip-compressed
 * while items are added. Items are already serialized and are collected up
 * to a count and a byte budget (of uncompressed JSON). Only the compressed
 * bytes are kept, so a snapshot part of several MB never exists as one
 * string, and compression runs on libuv's threads while the agent lists the
 * next page. A retry sends the very same bytes.
 */
export class GzipBatch {
  private readonly gzip: Gzip = createGzip();
  private readonly compressed: Promise<Buffer>;
  private readonly maxItems: number;
  private readonly maxBytes: number;
  private finished = false;
  private pending: string[] = [];
  private pendingChars = 0;
  private items = 0;
  private bytes = 0;

  constructor(
    header: Record<string, unknown>,
    field: string,
    limits: { maxItems: number; maxBytes: number },
  ) {
    this.maxItems = limits.maxItems;
    this.maxBytes = limits.maxBytes;
    this.compressed = new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      this.gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.gzip.on('end', () => resolve(Buffer.concat(chunks)));
      this.gzip.on('error', reject);
    });
    // Settled by finish(); until then, an error is kept for it to report.
    this.compressed.catch(() => {});
    const head = JSON.stringify(header).slice(0, -1);
    this.append(
      `${head}${head.length > 1 ? ',' : ''}${JSON.stringify(field)}:[`,
    );
  }

  get count(): number {
    return this.items;
  }

  /** False when full. An item larger than the budget still goes into an empty batch. */
  tryAdd(json: string): boolean {
    if (this.items >= this.maxItems) return false;
    if (this.items > 0 && this.bytes + json.length > this.maxBytes)
      return false;
    this.append(this.items > 0 ? `,${json}` : json);
    this.items += 1;
    this.bytes += json.length + 1;
    return true;
  }

  /** Closes the body with the `trailer` fields and resolves to the gzip bytes. */
  finish(trailer: Record<string, unknown> = {}): Promise<Buffer> {
    this.finished = true;
    const tail = JSON.stringify(trailer).slice(1);
    this.pending.push(`]${tail.length > 1 ? ',' : ''}${tail}`);
    this.gzip.end(this.pending.join(''));
    this.pending = [];
    return this.compressed;
  }

  /** Frees the compressor of a batch that will not be finished. */
  discard(): void {
    if (!this.finished) this.gzip.destroy();
  }

  private append(json: string): void {
    this.pending.push(json);
    this.pendingChars += json.length;
    if (this.pendingChars < CHUNK_CHARS) return;
    this.gzip.write(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
  }
}
