/**
 * What leaves the page (a download, a share link) never holds a key: the
 * visitor's keys (wherever their values were pasted) and any key written in
 * the document's settings are removed first.
 */
import { type AIConfig, findWrittenSecrets, redactJSON } from "@aiconfig-ts/core";

function removeAt(data: unknown, pointer: string): void {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const last = parts.pop();
  let node = data as Record<string, unknown> | undefined;
  for (const p of parts) node = node?.[p] as Record<string, unknown> | undefined;
  if (node && last !== undefined && typeof node === "object") delete node[last];
}

/**
 * A copy of `config` without keys: settings that hold a written key (core's
 * `findWrittenSecrets`) are dropped, and any text holding one of `keys` (the
 * visitor's key values) has it replaced by core's `redactJSON`.
 */
export function notebookWithoutKeys(config: AIConfig, keys: readonly string[]): AIConfig {
  const copy = structuredClone(config);
  for (const written of findWrittenSecrets(copy)) removeAt(copy, written.pointer);
  return keys.length ? redactJSON(copy, keys) : copy;
}
