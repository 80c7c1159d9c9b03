/**
 * JSON pointers (RFC 6901): `""` is the whole document, `/prompts/0/name` a
 * value inside it; `~1` stands for `/` and `~0` for `~` in a segment.
 *
 * @packageDocumentation
 */

/** Splits a JSON pointer into its unescaped segments (`""` -> `[]`). */
export function parsePointer(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return pointer === "/" ? [""] : [];
  const body = pointer.startsWith("/") ? pointer.slice(1) : pointer;
  return body.split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Builds a JSON pointer from segments, escaping `~` and `/`. */
export function formatPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** The value at a pointer in plain data, or `undefined` when a segment is missing. */
export function valueAtPointer(data: unknown, pointer: string): unknown {
  let cur: unknown = data;
  for (const seg of parsePointer(pointer)) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(seg)) return undefined;
      cur = cur[Number(seg)];
    } else if (cur !== null && typeof cur === "object" && Object.hasOwn(cur, seg)) {
      cur = (cur as Record<string, unknown>)[seg];
    } else return undefined;
  }
  return cur;
}
