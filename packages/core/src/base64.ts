/**
 * Base64 of bytes, the same in Node (`Buffer`) and in a browser (`atob`/`btoa`):
 * the platform's functions (see `platform/platform.ts`), for code that runs in both.
 *
 * @packageDocumentation
 */
export {
  /** Bytes of base64 text (standard alphabet); `(text: string) => Uint8Array`. */
  decodeBase64,
  /** Base64 text (standard alphabet) of bytes; `(bytes: Uint8Array) => string`. */
  encodeBase64,
} from "#platform";
