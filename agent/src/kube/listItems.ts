const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Splits a Kubernetes list response, `{"kind":…,"metadata":{…},"items":[…]}`,
 * into its items while the bytes arrive, so that each item is parsed and
 * projected on its own. Parsing a 500-pod page whole builds megabytes of
 * objects that all stay alive until the page is projected, more than the
 * agent's small young generation holds, so nearly all of it was promoted and
 * then collected again by full GCs. One item at a time, the raw objects die
 * young.
 *
 * The scan only tracks strings and nesting; UTF-8 multi-byte sequences never
 * contain the ASCII bytes it looks for, so chunks may split them anywhere.
 */
export class ListItemSplitter {
  private readonly onItem: (json: string) => void;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private inItems = false;
  /** Earlier chunks' pieces of the item being read. */
  private itemPieces: Buffer[] = [];
  /** Everything outside the items array: the list without its items. */
  private restPieces: Buffer[] = [];

  constructor(onItem: (json: string) => void) {
    this.onItem = onItem;
  }

  write(chunk: Buffer): void {
    // Locals rather than fields in the loop over every byte.
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let inItems = this.inItems;
    let itemStart = this.itemPieces.length > 0 ? 0 : -1;
    let restStart = inItems ? -1 : 0;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index];
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) inString = false;
      } else if (byte === QUOTE) {
        inString = true;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if (inItems && depth === 2) itemStart = index;
        if (
          depth === 1 &&
          byte === OPEN_BRACKET &&
          this.isItemsKey(chunk.subarray(restStart, index))
        ) {
          inItems = true;
          this.restPieces.push(chunk.subarray(restStart, index + 1));
          restStart = -1;
        }
        depth += 1;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth -= 1;
        if (inItems && depth === 2 && itemStart >= 0) {
          this.emit(chunk.subarray(itemStart, index + 1));
          itemStart = -1;
        } else if (inItems && depth === 1) {
          inItems = false;
          restStart = index;
        }
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.inItems = inItems;
    if (itemStart >= 0) this.itemPieces.push(chunk.subarray(itemStart));
    if (restStart >= 0) this.restPieces.push(chunk.subarray(restStart));
  }

  /** The list itself, with `items` empty (they went to `onItem`). */
  end(): unknown {
    if (this.depth !== 0 || this.inString)
      throw new SyntaxError('the list response ended early');
    return JSON.parse(Buffer.concat(this.restPieces).toString('utf8'));
  }

  private emit(tail: Buffer): void {
    const json =
      this.itemPieces.length === 0
        ? tail.toString('utf8')
        : Buffer.concat([...this.itemPieces, tail]).toString('utf8');
    this.itemPieces = [];
    this.onItem(json);
  }

  /** Whether the list so far ends with `"items":`, the key of the array starting now. */
  private isItemsKey(current: Buffer): boolean {
    const text = Buffer.concat([...this.restPieces, current]).toString('utf8');
    return /"items"\s*:\s*$/.test(text);
  }
}
