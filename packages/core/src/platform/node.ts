/**
 * Core's platform in Node (the default): Node's own `fs`, `path`, `url`,
 * `util`, `crypto` and `process`, the functions core has always used. See
 * `platform.ts` for the interface.
 *
 * @packageDocumentation
 */
import { isAscii } from "node:buffer";
import { constants, readFileSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type LibraryName, MAX_ATTACHMENT_BYTES, type SchemaCheck, type TemplateCompilerWithoutEval } from "./platform.js";

export { createHash } from "node:crypto";
export { mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
export { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
export { fileURLToPath } from "node:url";
export { isDeepStrictEqual } from "node:util";
export { writeFileAtomic } from "../write-file-atomic.js";
export { fetchAttachment } from "./fetch-attachment.js";

/** This platform's name. */
export const platformName: "node" | "browser" = "node";

// Literal `require("...")` calls: the package's bundle (scripts/build-bundle.mjs) finds them and answers them from dist/vendor.
const require = createRequire(import.meta.url);

/** A library by package name, loaded with `require` on first call (Node caches it). */
export function requireLibrary(name: LibraryName): unknown {
  switch (name) {
    case "handlebars":
      return require("handlebars");
    case "lru-cache":
      return require("lru-cache");
    case "yaml":
      return require("yaml");
    case "js-yaml":
      return require("js-yaml");
    case "jsonc-parser":
      return require("jsonc-parser");
    case "ajv":
      return require("ajv");
    case "dotenv":
      return require("dotenv");
  }
}

/**
 * A text file's content (UTF-8). An ASCII file (most aiconfig files) is
 * decoded as Latin-1, which gives the same text for ASCII bytes in a third of
 * the time of UTF-8 decoding (14 MB: ~6 ms instead of ~18 ms); any other
 * byte, a byte-order mark included, takes the UTF-8 decoder.
 * @throws the file system's error (e.g. `ENOENT`)
 */
export function readTextFile(path: string): string {
  const bytes = readFileSync(path);
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/** The largest file {@link readFile} reads, in bytes (256 MiB): the files a document names are untrusted. */
const MAX_READ_BYTES = MAX_ATTACHMENT_BYTES;

/**
 * A file's bytes (an attachment, or a stored output a document names), when
 * it is a regular file of at most {@link MAX_READ_BYTES}. It is opened
 * without blocking, then checked through its handle: a FIFO shipped in a
 * folder would otherwise wait for a writer forever, and `/dev/zero` or a
 * sparse file of terabytes would fill the memory.
 * @throws an `Error` with `code` `ENOTREG` (a FIFO, device, socket or folder) or `EFBIG` (larger than the limit),
 *   or the file system's error (e.g. `ENOENT`)
 */
export async function readFile(path: string): Promise<Uint8Array> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: "ENOTREG" });
    if (info.size > MAX_READ_BYTES) throw Object.assign(new Error(`${path} is larger than ${MAX_READ_BYTES} bytes`), { code: "EFBIG" });
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Node compiles schemas with ajv (`validate-settings.ts`): no check without `eval` is needed here. */
export const schemaCheckWithoutEval: ((schema: object) => SchemaCheck) | undefined = undefined;

/** Node compiles templates with `Handlebars.compile` (`template.ts`), which is faster: no render without `eval` is needed here. */
export const compileTemplateWithoutEval: TemplateCompilerWithoutEval | undefined = undefined;

/** `process.env`. */
export function processEnvironment(): Record<string, string | undefined> {
  return process.env;
}

/** The text of `DIR/.env`, or `undefined` when it cannot be read. */
export function readDotenvText(dir: string): { path: string; text: string } | undefined {
  const path = join(dir, ".env");
  try {
    // Not a FIFO or device a folder may ship as .env: reading one would wait or read forever.
    if (!statSync(path).isFile()) return undefined;
    return { path, text: readFileSync(path, "utf8") };
  } catch {
    return undefined;
  }
}

/** `process.cwd()`. */
export function currentDirectory(): string {
  return process.cwd();
}

/** `process.emitWarning`. */
export function emitWarning(message: string, type: string): void {
  process.emitWarning(message, type);
}

/** Bytes of base64 text (a `Buffer`). */
export function decodeBase64(text: string): Uint8Array {
  return Buffer.from(text, "base64");
}

/** Base64 text of bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** UTF-8 bytes of text (a `Buffer`). */
export function utf8Bytes(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}

/** Text of UTF-8 bytes. */
export function utf8Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}
