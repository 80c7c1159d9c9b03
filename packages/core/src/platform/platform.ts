/**
 * Core's platform adapter: the file system, paths, environment and the few
 * other host services core uses, behind one interface with two
 * implementations chosen when core is bundled or imported, never at run time:
 *
 * - `node.ts` (the default: Node's `fs`, `path`, `process.env`, `crypto`), what
 *   the Node entry has always used, with the same functions;
 * - `browser.ts` (the `browser` export condition of the package's `#platform`
 *   import): no file system (a document is loaded from text or objects, saved
 *   to text, attachments are data or URLs), POSIX paths, the environment a
 *   page supplies with `setBrowserEnvironment`, no `.env`.
 *
 * Modules import the implementation as `#platform` (package.json `imports`),
 * so the browser bundle never reaches a `node:` module. The members keep
 * Node's names and shapes so the Node side is the very function it was.
 *
 * @packageDocumentation
 */
import type * as BrowserImplementation from "./browser.js";
import type * as NodeImplementation from "./node.js";

/** The largest attachment core reads or fetches, in bytes (256 MiB): the files a document names are untrusted. */
export const MAX_ATTACHMENT_BYTES = 256 * 1024 * 1024;

/** What a platform's `fetchAttachment` needs to know (Node: `fetch-attachment.ts`). */
export interface FetchAttachmentOptions {
  /**
   * Whether the user trusts a URL's host (`--allow-endpoint HOST`, the
   * `allowHosts` option): its addresses are then not checked. Asked for
   * each hop of a redirect.
   */
  readonly trusted: (url: URL) => boolean;
  /** The largest body, in bytes (after decoding a `Content-Encoding`). Default {@link MAX_ATTACHMENT_BYTES}. */
  readonly maxBytes?: number;
  /** Redirects followed at most. Default 5. */
  readonly maxRedirects?: number;
  /**
   * Longest wait, in milliseconds, for the connection, the reply's headers and
   * each gap between chunks of its body (Node). Default 60 000: a server that
   * stalls fails the fetch instead of holding the run forever.
   */
  readonly idleTimeoutMs?: number;
}

/** The libraries core loads on first use (see `lazy-libraries.ts`, `template.ts`). */
export type LibraryName = "handlebars" | "lru-cache" | "yaml" | "js-yaml" | "jsonc-parser" | "ajv" | "dotenv";

/** What a platform gives core. Implemented by `node.ts` and `browser.ts`. */
export interface Platform {
  /** `"node"` or `"browser"`. */
  readonly platformName: "node" | "browser";
  /** A library by package name, loaded on first call (Node: `createRequire`; browser: bundled). */
  requireLibrary(name: LibraryName): unknown;
  /** The environment providers read keys from by default (Node: `process.env`; browser: the page's record). */
  processEnvironment(): Record<string, string | undefined>;
  /** The text of a `.env` file in `dir`, or `undefined` when there is none (always `undefined` in a browser). */
  readDotenvText(dir: string): { path: string; text: string } | undefined;
  /** The current folder (Node: `process.cwd()`; browser: `/`). */
  currentDirectory(): string;
  /** Says a warning where the host shows them (Node: `process.emitWarning`; browser: `console.warn`). */
  emitWarning(message: string, type: string): void;
  /** A file's text (UTF-8). @throws the file system's error; in a browser always a `NoFileSystemError` */
  readFileSync(path: string, encoding: "utf8"): string;
  /**
   * A text file's content (UTF-8), as `readFileSync(path, "utf8")` gives it,
   * read the fastest way (Node: an ASCII file, as most aiconfig files are, is
   * decoded as one byte a character). @throws the file system's error; in a
   * browser always a `NoFileSystemError`
   */
  readTextFile(path: string): string;
  /**
   * A file's bytes, when it is a regular file of at most 256 MiB (Node: opened
   * without blocking, so a FIFO is refused rather than waited on).
   * @throws an `Error` with `code` `ENOTREG` or `EFBIG`, or the file system's error; in a browser always a `NoFileSystemError`
   */
  readFile(path: string): Promise<Uint8Array>;
  /**
   * The body of an attachment's `http:`/`https:` URL, at most `maxBytes`.
   * Node: only from hosts whose every address is public, unless `trusted`
   * says the user trusts the host, connecting to the addresses checked, at
   * most 5 redirects each checked (`fetch-attachment.ts`); browser: the page's
   * `fetch` (the browser's own sandbox).
   * @throws an `Error` with a `code` (`ENOTPUBLIC`, `EFBIG`, `EREDIRECT`, `EHTTP`, or the network's) whose message says why
   */
  fetchAttachment(url: string, options: FetchAttachmentOptions): Promise<Uint8Array>;
  /** The real path (links followed). @throws the file system's error; in a browser always a `NoFileSystemError` */
  realpathSync(path: string): string;
  /** Creates a folder. @throws in a browser always a `NoFileSystemError` */
  mkdirSync(path: string, options: { recursive: true }): unknown;
  /** Writes a file. @throws in a browser always a `NoFileSystemError` */
  writeFileSync(path: string, bytes: Uint8Array): void;
  /** Replaces a file atomically (see `write-file-atomic.ts`). @throws `AIConfigError`; in a browser always a `NoFileSystemError` */
  writeFileAtomic(path: string, text: string): void;
  /** Path functions with Node's `path` semantics (POSIX in a browser). */
  readonly isAbsolute: (path: string) => boolean;
  readonly relative: (from: string, to: string) => string;
  readonly resolve: (...paths: string[]) => string;
  readonly dirname: (path: string) => string;
  readonly basename: (path: string, suffix?: string) => string;
  readonly extname: (path: string) => string;
  readonly join: (...paths: string[]) => string;
  readonly sep: string;
  /** A `file:` URL as a path. @throws in a browser always a `NoFileSystemError` */
  fileURLToPath(url: string): string;
  /** Structural equality of JSON data (Node: `util.isDeepStrictEqual`; browser: `fast-deep-equal`). */
  isDeepStrictEqual(a: unknown, b: unknown): boolean;
  /** A SHA-256 hash of text (Node: `crypto.createHash`; a browser: `fast-sha256`, the same digest). */
  createHash(algorithm: "sha256"): HashLike;
  /** Bytes of base64 text (standard alphabet). */
  decodeBase64(text: string): Uint8Array;
  /** Base64 text (standard alphabet) of bytes. */
  encodeBase64(bytes: Uint8Array): string;
  /** UTF-8 bytes of text. */
  utf8Bytes(text: string): Uint8Array;
  /** Text of UTF-8 bytes. */
  utf8Text(bytes: Uint8Array): string;
  /**
   * Makes a JSON Schema check without `eval` (browser: `@cfworker/json-schema`,
   * an interpreting validator, since a page's Content-Security-Policy forbids
   * the `new Function` that ajv compiles with); `undefined` in Node, where ajv compiles.
   */
  readonly schemaCheckWithoutEval: ((schema: object) => SchemaCheck) | undefined;
  /**
   * Makes a template's render function without `eval` (browser:
   * `handlebars-interpreter.ts`, Handlebars' parser, opcodes, runtime and
   * helpers with closures in place of generated code, since a page's
   * Content-Security-Policy forbids the `new Function` of `Handlebars.compile`);
   * `undefined` in Node, where Handlebars compiles.
   */
  readonly compileTemplateWithoutEval: TemplateCompilerWithoutEval | undefined;
}

/** `compileTemplateWithoutEval` of `handlebars-interpreter.ts`: (Handlebars instance, template or its tree, options) to a render function. */
export type TemplateCompilerWithoutEval = typeof import("../handlebars-interpreter.js").compileTemplateWithoutEval;

/** One failed check of a {@link SchemaCheck}, in ajv's shape (what `validate-settings.ts` reads). */
export interface SchemaCheckError {
  /** JSON Pointer of the failing value, e.g. `/temperature` (`""` for the whole object). */
  instancePath: string;
  /** The schema keyword that failed, e.g. `type`, `minimum`, `enum`, `required`. */
  keyword: string;
  /** `type`: the expected type; `enum`: `allowedValues`; `required`: `missingProperty`. */
  params: { type?: unknown; allowedValues?: unknown; missingProperty?: string; limit?: unknown; [param: string]: unknown };
  /** What is wrong, e.g. `must be >= 0`. */
  message?: string;
}

/** A compiled JSON Schema check: `true` when the data passes, else `false` with `errors` set. */
export interface SchemaCheck {
  (data: unknown): boolean;
  errors?: SchemaCheckError[] | null;
}

/** The part of Node's `Hash` core uses. */
export interface HashLike {
  update(data: string): HashLike;
  digest(encoding: "hex"): string;
}

type Implements<T extends Platform> = T;
/** The Node implementation (checked by the compiler to have every member of {@link Platform}). */
export type NodePlatform = Implements<typeof NodeImplementation>;
/** The browser implementation (checked by the compiler to have every member of {@link Platform}). */
export type BrowserPlatform = Implements<typeof BrowserImplementation>;
