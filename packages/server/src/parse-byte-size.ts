/**
 * Sizes as owners write them on the command line (`256MB`, `1GB`, `512kb`), with `bytes`.
 *
 * @packageDocumentation
 */
import bytes from "bytes";

/**
 * A size in bytes: `256MB`, `1.5GB`, `512KB` (`bytes`'s units, case-insensitive, 1 KB = 1024 bytes); a bare number is bytes.
 * @returns `undefined` when the text is not a positive size
 */
export function parseByteSize(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+(\.\d+)?\s*([kmgtp]?b)?$/i.test(t)) return undefined;
  const value = bytes.parse(t);
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}
