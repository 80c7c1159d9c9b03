/**
 * Versions of the edited file: the sha-256 of its bytes, so that a save can
 * tell whether the file changed on disk since the page loaded it.
 *
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

/** The version of a text or bytes: hex sha-256. */
export function versionOf(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

/** The version of the file on disk now, or `"missing"` when it does not exist. */
export function diskVersion(path: string): string {
  try {
    return versionOf(readFileSync(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw e;
  }
}
