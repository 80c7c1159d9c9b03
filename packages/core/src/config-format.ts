/**
 * The two file formats of an aiconfig and how a path names one.
 *
 * @packageDocumentation
 */

/** A file format of an aiconfig: JSON (comments allowed when reading) or YAML. */
export type ConfigFormat = "json" | "yaml";

/**
 * The format a path's extension names: `.json` -> `"json"`, `.yaml`/`.yml` ->
 * `"yaml"` (case-insensitive); `undefined` for any other or no extension.
 */
export function formatFromExtension(path: string): ConfigFormat | undefined {
  const m = /\.(json|ya?ml)$/i.exec(path);
  if (!m) return undefined;
  return m[1]!.toLowerCase() === "json" ? "json" : "yaml";
}

/**
 * The format of a text with no known extension: JSON when the first
 * non-space character is `{` (or the text starts with a `//` or `/*`
 * comment, which YAML does not have), else YAML.
 */
export function formatFromContent(text: string): ConfigFormat {
  return /^\uFEFF?\s*(\{|\/\/|\/\*)/.test(text) ? "json" : "yaml";
}
