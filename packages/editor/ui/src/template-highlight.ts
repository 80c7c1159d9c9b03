/**
 * Splits a prompt template into plain text and `{{...}}` tags, and classifies
 * each tag: a defined parameter, a reference to another prompt, a Handlebars
 * helper or block, or a name nothing defines.
 */

/** A piece of a template. */
export type TemplatePart = { kind: "text"; text: string } | { kind: "param" | "ref" | "helper" | "missing"; text: string; name: string };

const TAG = /\{\{\{?[^{}]*\}?\}\}/g;

/** The name a tag uses: `{{ a.b }}` -> `a`; `{{#if x}}` -> `#if`. */
export function tagName(tag: string): string {
  const inner = tag.replace(/^\{\{\{?~?\s*/, "").replace(/\s*~?\}?\}\}$/, "");
  if (/^[#/^!>]|^else\b/.test(inner)) return inner.split(/\s+/)[0] ?? inner;
  const head = inner.split(/\s+/)[0] ?? "";
  return head.split(/[.[]/)[0] ?? head;
}

/**
 * Splits a template.
 * @param parameters names of the parameters defined for the prompt (global and local)
 * @param prompts names of the prompts of the file
 */
export function splitTemplate(text: string, parameters: ReadonlySet<string>, prompts: ReadonlySet<string>): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const m of text.matchAll(TAG)) {
    const at = m.index ?? 0;
    if (at > last) parts.push({ kind: "text", text: text.slice(last, at) });
    const name = tagName(m[0]);
    const kind =
      /^[#/^!>]|^else$/.test(name) || name === "this" || name === ""
        ? "helper"
        : parameters.has(name)
          ? "param"
          : prompts.has(name)
            ? "ref"
            : "missing";
    parts.push({ kind, text: m[0], name });
    last = at + m[0].length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}
