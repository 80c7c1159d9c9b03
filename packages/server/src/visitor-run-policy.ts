/**
 * What a visitor's notebook may make the server do when it runs. Everything a
 * visitor sends is untrusted:
 *
 * - Attachments come only from the session's store (uploaded into it, or the
 *   owner's attachments imported at start) or inline (`base64`, `data:`). A
 *   path or `file:` URL is never resolved against the server's disk, and the
 *   server fetches no remote URL (no SSRF: it neither reaches loopback,
 *   private or link-local addresses nor anything else).
 * - A setting that names a file or folder on the server (`model_path`,
 *   `*_path`, `*_dir`, `*_file`) is refused, unless the owner's notebook has
 *   the same setting with the same value.
 * - The owner's keys (from the server's environment, shared only with
 *   `--share-owner-keys`) go only to each provider's own endpoint: a notebook
 *   that sets an endpoint (`base_url`, `endpoint_url`, `preset`, ...) anywhere
 *   runs with the visitor's own keys only.
 *
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, isAbsolute, relative, resolve, sep } from "node:path";
import type { AIConfig } from "@aiconfig-ts/core";
import type { NotebookStore } from "./notebook-store.js";

/** A visitor's notebook asked for something the hosted notebook does not do; the message is one line for the page. */
export class VisitorRunRefusedError extends Error {
  override name = "VisitorRunRefusedError";
}

/** Settings that choose where a request goes. */
const ENDPOINT_SETTING = /^(base_?url|baseurl|api_base|api_base_url|endpoint|endpoint_url|azure_endpoint|host|url|preset|server_url)$/i;
/** Settings that name something on the server's disk. */
const SERVER_PATH_SETTING = /(^|_)(path|dir|directory|file|folder)$/i;

/** Environment variable names that hold credentials. */
const CREDENTIAL_ENV = /(KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS?|AUTH)$/i;

/** Credentials of one service: a visitor's key for it replaces all of the owner's. */
const KEY_FAMILIES: Record<string, readonly string[]> = {
  HF_TOKEN: ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGING_FACE_API_TOKEN"],
  OPENAI_API_KEY: ["OPENAI_API_KEY"],
  ANTHROPIC_API_KEY: ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"],
  GEMINI_API_KEY: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
};

/** Reference of an attachment stored in the session's store, as a `file_uri` value. */
export const STORED_ATTACHMENT = /^attachments\/([0-9a-f]{64})(\.[A-Za-z0-9]{1,10})?$/;

type SettingsVisitor = (settings: Record<string, unknown>, where: string) => void;

function forEachSettings(config: AIConfig, visit: SettingsVisitor): void {
  for (const [model, settings] of Object.entries(config.metadata?.models ?? {})) {
    if (settings && typeof settings === "object") visit(settings as Record<string, unknown>, `models.${model}`);
  }
  for (const p of config.prompts ?? []) {
    const m = p.metadata?.model;
    if (m && typeof m === "object" && m.settings && typeof m.settings === "object")
      visit(m.settings as Record<string, unknown>, `prompt "${p.name}"`);
  }
}

/** Where the notebook sets an endpoint (e.g. `prompt "a": base_url`), if anywhere. */
export function endpointSettings(config: AIConfig): string[] {
  const found: string[] = [];
  forEachSettings(config, (s, where) => {
    for (const key of Object.keys(s)) if (ENDPOINT_SETTING.test(key)) found.push(`${where}: ${key}`);
  });
  return found;
}

/** The server-path settings of the owner's notebook (`key` and value), which visitors' copies may keep. */
export function ownerPathSettings(original: AIConfig): Set<string> {
  const found = new Set<string>();
  forEachSettings(original, (s) => {
    for (const [key, value] of Object.entries(s)) if (SERVER_PATH_SETTING.test(key)) found.add(`${key}\u0000${JSON.stringify(value)}`);
  });
  return found;
}

/**
 * Refuses settings that name files or folders on the server, except those
 * the owner's notebook has with the same value.
 * @param allowed from {@link ownerPathSettings}
 * @throws {VisitorRunRefusedError} naming the prompt and setting
 */
export function refuseServerPaths(config: AIConfig, allowed: ReadonlySet<string>): void {
  forEachSettings(config, (s, where) => {
    for (const [key, value] of Object.entries(s))
      if (SERVER_PATH_SETTING.test(key) && !allowed.has(`${key}\u0000${JSON.stringify(value)}`))
        throw new VisitorRunRefusedError(
          `${where}: setting ${key} names a file on the server, which a hosted notebook does not open: remove the setting`,
        );
  });
}

/**
 * The environment a visitor's run gets: the server's environment without
 * credentials (so owner-set base URLs and paths still apply), the owner's
 * credentials when `shareOwnerKeys` and the notebook sets no endpoint, then
 * the visitor's keys (each replacing the owner's keys of the same service).
 */
export function visitorRunEnvironment(options: {
  ownerEnv: Readonly<Record<string, string | undefined>>;
  visitorKeys: Readonly<Record<string, string>>;
  shareOwnerKeys: boolean;
  notebookSetsEndpoint: boolean;
}): Record<string, string> {
  const env: Record<string, string> = {};
  const ownerKeys = options.shareOwnerKeys && !options.notebookSetsEndpoint;
  for (const [name, value] of Object.entries(options.ownerEnv)) {
    if (value === undefined) continue;
    if (CREDENTIAL_ENV.test(name) && !ownerKeys) continue;
    env[name] = value;
  }
  for (const [name, value] of Object.entries(options.visitorKeys)) {
    if (!value) continue;
    for (const n of KEY_FAMILIES[name] ?? [name]) delete env[n];
    env[name] = value;
  }
  return env;
}

/** The credential values of an environment (for redaction). */
export function credentialValues(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([n, v]) => CREDENTIAL_ENV.test(n) && typeof v === "string" && v.length >= 6)
    .map(([, v]) => v!);
}

function isStoredData(value: unknown): value is { kind: string; value: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === "string" &&
    typeof (value as { value?: unknown }).value === "string"
  );
}

/**
 * A copy of the notebook whose attachments hold their bytes inline (base64),
 * read from the store; nothing is read from the server's disk or network.
 * @throws {VisitorRunRefusedError} for an attachment that is a path, a `file:` URL, a remote URL, or missing from the store
 */
export async function inlineAttachments(config: AIConfig, store: NotebookStore): Promise<AIConfig> {
  const copy = structuredClone(config);
  for (const p of copy.prompts ?? []) {
    const input = p.input;
    if (typeof input !== "object" || input === null || !Array.isArray(input.attachments)) continue;
    for (const [i, a] of input.attachments.entries()) {
      const where = `prompt "${p.name}", attachment ${i + 1}`;
      const data = a.data as unknown;
      let ref: string | undefined;
      if (isStoredData(data)) {
        if (data.kind === "base64") continue;
        if (data.kind === "file_uri") ref = data.value;
      } else if (typeof data === "string" && (/^(https?|file|data):/i.test(data) || !(a.mime_type ?? "text/").startsWith("text/"))) {
        ref = data;
      } else continue;
      if (ref === undefined) continue;
      if (/^data:/i.test(ref)) continue;
      if (/^https?:/i.test(ref))
        throw new VisitorRunRefusedError(
          `${where}: the hosted notebook does not fetch remote URLs (${ref.slice(0, 80)}): download the file and upload it into the cell`,
        );
      const m = STORED_ATTACHMENT.exec(ref);
      if (!m)
        throw new VisitorRunRefusedError(
          `${where}: "${ref.slice(0, 80)}" is a path on the server, which a hosted notebook never reads: upload the file into the cell instead`,
        );
      const bytes = await store.getBlob(m[1]!);
      if (!bytes) throw new VisitorRunRefusedError(`${where}: the uploaded file is no longer stored: upload it again`);
      a.data = { kind: "base64", value: bytes.toString("base64") } as typeof a.data;
    }
  }
  return copy;
}

/** Stores bytes as an attachment; returns its `file_uri` reference (`attachments/<sha256><ext>`). */
export async function storeAttachment(store: NotebookStore, bytes: Buffer, name: string): Promise<string> {
  const sha = createHash("sha256").update(bytes).digest("hex");
  await store.putBlob(sha, bytes);
  const ext = extname(name).toLowerCase();
  return `attachments/${sha}${/^\.[a-z0-9]{1,10}$/.test(ext) ? ext : ""}`;
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) && !rel.split(sep).some((part) => part.startsWith("."));
}

/**
 * The owner's notebook with its local attachments and output files (paths
 * under the file's folder, no dot-files, no symlinks out) copied into the
 * store and referred to there, so visitors' runs never read the disk.
 * References that leave the folder or do not exist are left as they are (a
 * visitor's run then refuses them).
 */
export async function importOwnerFiles(config: AIConfig, dir: string, store: NotebookStore): Promise<AIConfig> {
  const copy = structuredClone(config);
  const realDir = realpathSync(dir);
  const walk = async (node: unknown): Promise<void> => {
    if (Array.isArray(node)) {
      for (const x of node) await walk(x);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const o = node as Record<string, unknown>;
    if (o.kind === "file_uri" && typeof o.value === "string" && !/^[a-z]+:/i.test(o.value) && !STORED_ATTACHMENT.test(o.value)) {
      try {
        const real = realpathSync(resolve(dir, o.value));
        if (!isAbsolute(o.value) && inside(realDir, real)) o.value = await storeAttachment(store, await readFile(real), real);
      } catch {
        // missing: left as it is
      }
      return;
    }
    for (const v of Object.values(o)) await walk(v);
  };
  await walk(copy.prompts);
  return copy;
}
