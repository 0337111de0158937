import { PayloadTooLargeError } from "../errors.js";

/**
 * JSON with object keys sorted at every level, 2-space indent and a trailing newline: the same data
 * always gives the same bytes (so the same blob sha), and diffs of record files read well. The bytes
 * of `JSON.stringify(sorted, null, 2)`, written piece by piece so that text growing past `maxBytes`
 * (indentation multiplies deeply nested data) is refused with a 413 as soon as it does, not built first.
 */
export function stableJson(value: unknown, maxBytes = Number.POSITIVE_INFINITY): string {
  const pieces: string[] = [];
  let bytes = 0;
  const emit = (piece: string, pieceBytes = piece.length) => {
    bytes += pieceBytes;
    if (bytes > maxBytes) throw new PayloadTooLargeError(`the record's file would be over ${maxBytes} bytes`, { maxBytes });
    pieces.push(piece);
  };
  const write = (node: unknown, indent: string): void => {
    if (typeof node !== "object" || node === null) {
      const token = JSON.stringify(node) ?? "null";
      emit(token, typeof node === "string" ? Buffer.byteLength(token) : token.length);
      return;
    }
    const entries = Array.isArray(node)
      ? node.map((item): [string | undefined, unknown] => [undefined, isJsonValue(item) ? item : null])
      : Object.keys(node)
          .sort()
          .map((key): [string | undefined, unknown] => [key, (node as Record<string, unknown>)[key]])
          .filter(([, item]) => isJsonValue(item));
    const [open, close] = Array.isArray(node) ? ["[", "]"] : ["{", "}"];
    if (entries.length === 0) {
      emit(open + close);
      return;
    }
    const inner = `${indent}  `;
    emit(open);
    entries.forEach(([key, item], index) => {
      emit(index === 0 ? `\n${inner}` : `,\n${inner}`);
      if (key !== undefined) {
        const name = JSON.stringify(key);
        emit(`${name}: `, Buffer.byteLength(name) + 2);
      }
      write(item, inner);
    });
    emit(`\n${indent}${close}`);
  };
  write(value, "");
  emit("\n");
  return pieces.join("");
}

/** What JSON.stringify writes: in an object it leaves other values out, in an array it writes null. */
function isJsonValue(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}
