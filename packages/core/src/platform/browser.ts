/**
 * Core's platform in a browser (the `browser` condition of `#platform`): no
 * file system (each file function throws a one-line `NoFileSystemError`),
 * POSIX paths (`pathe`), the environment a page supplies with
 * {@link setBrowserEnvironment} (no `.env`), and the libraries core loads
 * lazily in Node bundled in. See `platform.ts` for the interface.
 *
 * @packageDocumentation
 */
import * as ajv from "ajv";
import fastDeepEqual from "fast-deep-equal";
import { Hash as Sha256 } from "fast-sha256";
import handlebars from "handlebars";
import * as jsYaml from "js-yaml";
import * as jsoncParser from "jsonc-parser";
import * as lruCache from "lru-cache";
import * as pathe from "pathe";
import * as yaml from "yaml";
import { NoFileSystemError } from "../errors.js";
import { type FetchAttachmentOptions, type HashLike, type LibraryName, MAX_ATTACHMENT_BYTES, type Platform } from "./platform.js";

// POSIX path functions (pathe), declared with Platform's own types so that core's published types name no bundled library.
export const basename: Platform["basename"] = pathe.basename;
export const dirname: Platform["dirname"] = pathe.dirname;
export const extname: Platform["extname"] = pathe.extname;
export const isAbsolute: Platform["isAbsolute"] = pathe.isAbsolute;
export const join: Platform["join"] = pathe.join;
export const relative: Platform["relative"] = pathe.relative;
export const resolve: Platform["resolve"] = pathe.resolve;

export { schemaCheckWithoutEval } from "./schema-check-without-eval.js";

/**
 * Renders Handlebars templates without `eval` (`handlebars-interpreter.ts`):
 * a page's Content-Security-Policy forbids the `new Function` that
 * `Handlebars.compile` builds its render function with, so `template.ts`
 * renders blocks, helpers and paths with this in a browser.
 */
export { compileTemplateWithoutEval } from "../handlebars-interpreter.js";

/** This platform's name. */
export const platformName: "node" | "browser" = "browser";

/** Path separator (POSIX). */
export const sep = "/";

const LIBRARIES: Record<LibraryName, unknown> = {
  ajv,
  handlebars,
  "js-yaml": jsYaml,
  "jsonc-parser": jsoncParser,
  "lru-cache": lruCache,
  yaml,
  // `.env` files are Node's: a page supplies its environment as a record
  dotenv: undefined,
};

/**
 * A bundled library by package name.
 * @throws {NoFileSystemError} for `dotenv` (no `.env` in a browser)
 */
export function requireLibrary(name: LibraryName): unknown {
  const library = LIBRARIES[name];
  if (library === undefined) throw new NoFileSystemError(`${name} is not available in a browser`);
  return library;
}

let environment: Record<string, string | undefined> = {};

/**
 * Sets the environment that runtimes in this page read keys from by default
 * (e.g. `{ OPENAI_API_KEY: "..." }` typed by the visitor). The record is
 * copied; call again when a key changes. Never written anywhere by core.
 */
export function setBrowserEnvironment(values: Record<string, string | undefined>): void {
  environment = { ...values };
}

/** The record last given to {@link setBrowserEnvironment} (empty at first). */
export function processEnvironment(): Record<string, string | undefined> {
  return environment;
}

/** No `.env` in a browser: always `undefined`. */
export function readDotenvText(_dir: string): undefined {
  return undefined;
}

/** The root, `/`: a browser has no current folder. */
export function currentDirectory(): string {
  return "/";
}

/** `console.warn("type: message")`. */
export function emitWarning(message: string, type: string): void {
  console.warn(`${type}: ${message}`);
}

function noFileSystem(what: string, path: string): NoFileSystemError {
  return new NoFileSystemError(
    `cannot ${what} ${path} in a browser: there is no file system (load the aiconfig from its text, give attachments as data or URLs)`,
  );
}

/** @throws {NoFileSystemError} always */
export function readFileSync(path: string, _encoding: "utf8"): string {
  throw noFileSystem("read", path);
}

/** @throws {NoFileSystemError} always */
export function readTextFile(path: string): string {
  throw noFileSystem("read", path);
}

/** @throws {NoFileSystemError} always */
export function readFile(path: string): Promise<Uint8Array> {
  return Promise.reject(noFileSystem("read", path));
}

/**
 * The body of an attachment's `http(s):` URL through the page's `fetch`: the
 * browser's own sandbox (its CORS and private network rules) decides what a
 * page may reach, so `trusted` is not asked; the body is bounded as in Node.
 * @throws an `Error` with `code` `EHTTP` (no success status) or `EFBIG` (larger than `maxBytes`), or `fetch`'s own
 */
export async function fetchAttachment(url: string, options: FetchAttachmentOptions): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? MAX_ATTACHMENT_BYTES;
  const tooLarge = () =>
    Object.assign(new Error(`it is larger than ${maxBytes / 1024 / 1024} MiB, more than an attachment may be`), { code: "EFBIG" });
  const response = await fetch(url);
  if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { code: "EHTTP", status: response.status });
  if (Number(response.headers.get("content-length")) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** @throws {NoFileSystemError} always */
export function realpathSync(path: string): string {
  throw noFileSystem("find", path);
}

/** @throws {NoFileSystemError} always */
export function mkdirSync(path: string, _options: { recursive: true }): never {
  throw noFileSystem("create the folder", path);
}

/** @throws {NoFileSystemError} always */
export function writeFileSync(path: string, _bytes: Uint8Array): void {
  throw noFileSystem("write", path);
}

/** @throws {NoFileSystemError} always: serialize the document to text (`serializeConfig`) and let the page keep it */
export function writeFileAtomic(path: string, _text: string): void {
  throw noFileSystem("save", path);
}

/** @throws {NoFileSystemError} always */
export function fileURLToPath(url: string): string {
  throw noFileSystem("open", url);
}

/** Structural equality of JSON data (`fast-deep-equal`). */
export function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  return fastDeepEqual(a, b);
}

/**
 * A SHA-256 hash of UTF-8 text (`fast-sha256`), digesting to the hex Node's `crypto.createHash("sha256")` gives
 * for the same text: batch runs key their rows with it, so a row has the same key in a page and in Node.
 */
export function createHash(_algorithm: "sha256"): HashLike {
  const hash = new Sha256();
  const utf8 = new TextEncoder();
  const self: HashLike = {
    update(data) {
      hash.update(utf8.encode(data));
      return self;
    },
    digest() {
      let hex = "";
      for (const byte of hash.digest()) hex += byte.toString(16).padStart(2, "0");
      return hex;
    },
  };
  return self;
}

/** Bytes of base64 text (`atob`). */
export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/[\s]/g, ""));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Base64 text of bytes (`btoa`). */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** UTF-8 bytes of text (`TextEncoder`). */
export function utf8Bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Text of UTF-8 bytes (`TextDecoder`). */
export function utf8Text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
