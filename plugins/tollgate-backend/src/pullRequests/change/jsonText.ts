import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

/**
 * The JSON text of an edited JSON file. When only scalar values changed,
 * each is replaced where it stands, so the file keeps its layout byte for
 * byte; otherwise the file is printed again with two-space indentation.
 */
export function renderJson(original: string, edited: unknown): string {
  const tree = parseDocument(original).contents as Node | null;
  const replacements: { range: [number, number]; text: string }[] = [];
  if (tree && collectScalarEdits(tree, edited, replacements)) {
    let text = original;
    for (const { range, text: value } of replacements.sort(
      (a, b) => b.range[0] - a.range[0],
    )) {
      text = text.slice(0, range[0]) + value + text.slice(range[1]);
    }
    return text;
  }
  return `${JSON.stringify(edited, null, 2)}\n`;
}

/** False when the shape changed (keys or items added or removed). */
function collectScalarEdits(
  node: Node,
  value: unknown,
  out: { range: [number, number]; text: string }[],
): boolean {
  if (isScalar(node)) {
    if (value !== null && typeof value === 'object') return false;
    if (node.value !== value) {
      out.push({
        range: [node.range![0], node.range![1]],
        text: JSON.stringify(value),
      });
    }
    return true;
  }
  if (isSeq(node)) {
    if (!Array.isArray(value) || value.length !== node.items.length)
      return false;
    return node.items.every((item, index) =>
      collectScalarEdits(item as Node, value[index], out),
    );
  }
  if (isMap(node)) {
    if (!value || typeof value !== 'object' || Array.isArray(value))
      return false;
    const record = value as Record<string, unknown>;
    if (Object.keys(record).length !== node.items.length) return false;
    return node.items.every(pair => {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      return (
        key in record &&
        collectScalarEdits(pair.value as Node, record[key], out)
      );
    });
  }
  return false;
}
