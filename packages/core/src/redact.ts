/**
 * Keeping secrets out of everything a run leaves behind: error messages,
 * stored error outputs (`evalue`, `traceback`), events, terminal output and
 * what the editor sends to a page. One implementation, used by the runtime,
 * the CLI and the editor.
 *
 * A secret is the value (8 characters or more) of an environment variable
 * (the process's or the `.env` beside the file) whose name looks like a
 * credential (`OPENAI_API_KEY`, `HF_TOKEN`, `AWS_SECRET_ACCESS_KEY`,
 * `*PASSWORD*`, `*CREDENTIAL*`, `*AUTH*`), or of a setting named like one
 * (`api_key`, `apiKey`, `token`, `access_token`, `secret`, `password`,
 * `Authorization`), at any depth of the settings. Each is replaced by
 * {@link REDACTED}, as is its JSON-escaped and URL-encoded form.
 *
 * Stored tracebacks also lose the absolute local paths (user names, folder
 * layout): a path inside `node_modules` keeps the part from `node_modules/`,
 * any other keeps its file name.
 *
 * @packageDocumentation
 */
import type { ErrorOutput } from "./types.js";

/** What a secret is replaced by. */
export const REDACTED = "[redacted]";

/** Shortest value treated as a secret: shorter ones are too likely to occur in ordinary text. */
const MIN_SECRET_LENGTH = 8;

/** Environment variable names that hold credentials. */
const SECRET_ENV_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i;

/** Setting names (camelCase folded to snake_case) that hold credentials; `max_tokens` is not one. */
const SECRET_SETTING_NAME = /(^|_|-)(api_?key|key|token|secret|password|passwd|credentials?|authorization|auth|bearer)$/i;

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2");

/**
 * The secret values a run could see, longest first (so that a key containing
 * another is replaced whole).
 *
 * @param env - an environment (e.g. `process.env` over `.env`, see `loadEnvironment`).
 * @param settings - settings objects (the file's model settings, a prompt's); their
 *   string values under credential-like names, at any depth, are secrets.
 * @returns distinct values of {@link MIN_SECRET_LENGTH} (8) characters or more
 */
export function secretValues(env: Readonly<Record<string, string | undefined>> = {}, ...settings: readonly unknown[]): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === "string" && value.length >= MIN_SECRET_LENGTH && SECRET_ENV_NAME.test(name)) values.add(value);
  }
  const visit = (node: unknown, depth: number): void => {
    if (depth > 32 || node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === "string") {
        if (value.length >= MIN_SECRET_LENGTH && SECRET_SETTING_NAME.test(snake(key))) {
          values.add(value);
          // "Bearer sk-..." also hides the bare key.
          const bare = value.replace(/^(bearer|basic|token)\s+/i, "");
          if (bare !== value && bare.length >= MIN_SECRET_LENGTH) values.add(bare);
        }
      } else visit(value, depth + 1);
    }
  };
  for (const s of settings) visit(s, 0);
  return [...values].sort((a, b) => b.length - a.length);
}

/** The forms a secret may take in text: as is, JSON-escaped, URL-encoded. */
function forms(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const s of secrets) {
    all.add(s);
    all.add(JSON.stringify(s).slice(1, -1));
    all.add(encodeURIComponent(s));
  }
  return [...all].sort((a, b) => b.length - a.length);
}

/**
 * A text with every secret (and its JSON-escaped and URL-encoded forms)
 * replaced by {@link REDACTED}.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || !text) return text;
  let out = text;
  for (const s of forms(secrets)) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/**
 * Redacts streamed text piece by piece (a model's reply on a terminal or to a
 * page): a secret split across pieces is still replaced, because after
 * {@link redactText} an end of the text that could be the start of a secret
 * is held back until the next piece (or {@link StreamRedactor.end}) tells.
 * One stream per instance.
 */
export class StreamRedactor {
  #held = "";
  /** @param secrets - from {@link secretValues} (longest first). */
  constructor(readonly secrets: readonly string[]) {}

  /** Takes a piece; returns the text that can be sent now (shorter than the piece when an end is held). */
  push(piece: string): string {
    if (this.secrets.length === 0) return piece;
    const text = redactText(this.#held + piece, this.secrets);
    const hold = heldBack(text, this.secrets);
    this.#held = text.slice(text.length - hold);
    return text.slice(0, text.length - hold);
  }

  /** The text held back, already redacted (the stream ended); the redactor is empty after. */
  end(): string {
    const rest = this.#held;
    this.#held = "";
    return rest;
  }
}

/** Length of the longest end of `text` that is a proper start of a secret. */
function heldBack(text: string, secrets: readonly string[]): number {
  const longest = Math.max(...secrets.map((s) => s.length));
  for (let i = Math.max(0, text.length - longest + 1); i < text.length; i++) {
    const tail = text.slice(i);
    if (secrets.some((s) => s.length > tail.length && s.startsWith(tail))) return text.length - i;
  }
  return 0;
}

/**
 * A JSON value with every secret in its strings (and property names) replaced:
 * the same value when nothing matched, else a copy.
 */
export function redactJSON<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const text = JSON.stringify(value);
  if (text === undefined) return value;
  const escaped = secrets.map((s) => JSON.stringify(s).slice(1, -1));
  const redacted = redactText(text, escaped);
  return redacted === text ? value : (JSON.parse(redacted) as T);
}

const FILE_URL = /file:\/\/\/?[^\s()'"`]+/g;
// An absolute POSIX path not inside a URL (not after a word character, ':', '/' or '.'), or a Windows one.
const ABSOLUTE_PATH = /(?<![\w:/.~-])(?:\/(?:[^\s()'"`:/]+\/)+[^\s()'"`:/]*|[A-Za-z]:\\(?:[^\s()'"`:\\]+\\)+[^\s()'"`:\\]*)/g;

/** A path made local-free: from `node_modules/` on when inside one, else the file name. */
function shortPath(path: string): string {
  const p = path.replace(/\\/g, "/");
  const nm = p.lastIndexOf("node_modules/");
  if (nm >= 0) return p.slice(nm);
  return p.slice(p.lastIndexOf("/") + 1);
}

/**
 * A text with absolute local paths and `file:` URLs shortened (see the
 * module's description), e.g. `at f (/home/ann/p/node_modules/openai/core.js:1:2)`
 * → `at f (node_modules/openai/core.js:1:2)`.
 */
export function withoutLocalPaths(text: string): string {
  return text.replace(FILE_URL, (url) => shortPath(url.replace(/^file:\/\/\/?/, "/"))).replace(ABSOLUTE_PATH, (path) => shortPath(path));
}

/**
 * The `error` output stored for a failed run: `ename`, `evalue` (the message)
 * and `traceback` (the stack, one line per entry), with every secret
 * replaced, and no absolute local path in the traceback.
 *
 * @param error - what the provider threw (anything).
 * @param secrets - from {@link secretValues}.
 */
export function errorOutput(error: unknown, secrets: readonly string[]): ErrorOutput {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    output_type: "error",
    ename: err.name || "Error",
    evalue: redactText(err.message, secrets),
    traceback: (err.stack ?? "").split("\n").map((line) => withoutLocalPaths(redactText(line, secrets))),
  };
}

/** A credential written in a file, found by {@link findWrittenSecrets}. */
export interface WrittenSecret {
  /** JSON pointer of the value, e.g. `/metadata/models/gpt-4/api_key`. */
  pointer: string;
  /** The setting's name, e.g. `api_key`. */
  name: string;
}

/**
 * The credentials written in an aiconfig document: string values (8
 * characters or more) under credential-like setting names (`api_key`,
 * `apiKey`, `token`, `Authorization`, ...) anywhere in `metadata` and in the
 * prompts' metadata. A file travels (commits, downloads, shared notebooks):
 * keys belong in the environment or a `.env` file. `validate` warns about
 * each; viewers mask them with {@link redactJSON} and {@link secretValues}.
 *
 * @param data - the parsed document (any JSON value; non-objects give none).
 */
export function findWrittenSecrets(data: unknown): WrittenSecret[] {
  const found: WrittenSecret[] = [];
  const visit = (node: unknown, pointer: string, depth: number): void => {
    if (depth > 64 || node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      const at = `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (typeof value === "string") {
        if (value.length >= MIN_SECRET_LENGTH && SECRET_SETTING_NAME.test(snake(key))) found.push({ pointer: at, name: key });
      } else if (!(pointer === "" && key === "prompts") && !(pointer.endsWith("/outputs") || key === "outputs")) {
        visit(value, at, depth + 1);
      }
    }
  };
  if (data && typeof data === "object") {
    const doc = data as { metadata?: unknown; prompts?: unknown };
    visit(doc.metadata, "/metadata", 0);
    if (Array.isArray(doc.prompts)) {
      for (const [i, p] of doc.prompts.entries()) visit((p as { metadata?: unknown })?.metadata, `/prompts/${i}/metadata`, 0);
    }
  }
  return found;
}
