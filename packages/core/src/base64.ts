/**
 * Base64 of bytes, the same in Node (`Buffer`) and in a browser (`atob`/`btoa`):
 * the platform's functions (see `platform/platform.ts`), for code that runs in both.
 *
 * @packageDocumentation
 */
import * as platform from "#platform";

/** Bytes of base64 text (standard alphabet; whitespace ignored in a browser, as `Buffer` does). */
export function decodeBase64(text: string): Uint8Array {
  return platform.decodeBase64(text);
}

/** Base64 text (standard alphabet) of bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  return platform.encodeBase64(bytes);
}
