/**
 * Finds where the value at a JSON pointer is written in the source text of a
 * JSON or YAML document, for error messages. When the exact value does not
 * exist (e.g. a missing property), the nearest existing parent is given.
 *
 * @packageDocumentation
 */
import type { Document, LineCounter, Node as YamlNode } from "yaml";
import { parsePointer } from "./json-pointer.js";
import { loadJsoncParser, loadYaml } from "./lazy-libraries.js";
import { positionFinder, type TextPosition } from "./text-positions.js";

/** Maps a JSON pointer to the 1-based position of its value (or nearest parent); `undefined` if unknown. */
export type PointerLocator = (pointer: string) => TextPosition | undefined;

/**
 * A locator over JSON (with comments) text. The syntax tree is built with
 * `jsonc-parser`'s `parseTree` on the first call only, so parsing stays fast
 * when nothing needs a position.
 */
export function jsonLocator(text: string): PointerLocator {
  let root: import("jsonc-parser").Node | undefined | null = null;
  const position = positionFinder(text);
  return (pointer) => {
    if (root === null) root = loadJsoncParser().parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
    let node = root;
    if (!node) return undefined;
    for (const seg of parsePointer(pointer)) {
      let next: import("jsonc-parser").Node | undefined;
      if (node.type === "object") {
        // last one wins, as in JSON.parse
        for (const prop of node.children ?? []) if (prop.children?.[0]?.value === seg && prop.children[1]) next = prop.children[1];
      } else if (node.type === "array" && /^(0|[1-9]\d*)$/.test(seg)) {
        next = node.children?.[Number(seg)];
      }
      if (!next) break;
      node = next;
    }
    return position(node.offset);
  };
}

/** A locator over a parsed YAML document, using the `LineCounter` it was parsed with. */
export function yamlLocator(doc: Document, lineCounter: LineCounter): PointerLocator {
  const at = (offset: number): TextPosition => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  return (pointer) => {
    const Y = loadYaml();
    let node: YamlNode | null | undefined = doc.contents as YamlNode | null;
    if (!node) return { line: 1, column: 1 };
    let offset = node.range?.[0] ?? 0;
    for (const seg of parsePointer(pointer)) {
      if (Y.isAlias(node)) node = node.resolve(doc) ?? node;
      let next: YamlNode | null | undefined;
      let nextOffset: number | undefined;
      if (Y.isMap(node)) {
        for (const pair of node.items) {
          const key = pair.key;
          const name = Y.isScalar(key) ? String(key.value) : String(key);
          if (name !== seg) continue;
          const value = pair.value as YamlNode | null;
          next = value;
          nextOffset = value?.range?.[0] ?? (Y.isNode(key) ? key.range?.[0] : undefined);
        }
      } else if (Y.isSeq(node) && /^(0|[1-9]\d*)$/.test(seg)) {
        next = node.items[Number(seg)] as YamlNode | null | undefined;
        nextOffset = next?.range?.[0];
      }
      if (nextOffset === undefined) break;
      offset = nextOffset;
      if (!next) break;
      node = next;
    }
    return at(offset);
  };
}
