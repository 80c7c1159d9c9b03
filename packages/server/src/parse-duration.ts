/**
 * Durations as owners write them on the command line (`2h`, `90m`, `30s`), with `ms`.
 *
 * @packageDocumentation
 */
import ms from "ms";

/**
 * A duration in ms: `2h`, `90m`, `30s`, `1d` (`ms`'s units; a bare number is minutes).
 * @returns `undefined` when the text is not a positive duration
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  const value = /^\d+(\.\d+)?$/.test(t) ? Number(t) * 60_000 : ms(t as ms.StringValue);
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}
