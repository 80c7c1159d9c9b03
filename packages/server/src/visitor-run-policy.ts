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
import type { AIConfig } from "@aiconfig-ts/core";
import type { NotebookStore } from "./notebook-store.js";
import type { VisitorKeyName } from "./session-keys.js";
import { STORED_ATTACHMENT } from "./stored-attachments.js";

/** A visitor's notebook asked for something the hosted notebook does not do; the message is one line for the page. */
export class VisitorRunRefusedError extends Error {
  override name = "VisitorRunRefusedError";
}

/** Settings that choose where a request goes. */
const ENDPOINT_SETTING = /^(base_?url|baseurl|api_base|api_base_url|endpoint|endpoint_url|azure_endpoint|host|url|preset|server_url)$/i;
/** Settings that name something on the server's disk. */
const SERVER_PATH_SETTING = /(^|_)(path|dir|directory|file|folder)$/i;

/** Environment variable names that hold credentials (beside those the providers declare, which are dropped too). */
const CREDENTIAL_ENV = /(KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS?|AUTH)$/i;

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
 * Credentials are the variables the providers declare (`keyNames`, from
 * their `capabilities.credentials`) and any variable named like one
 * (`*_KEY`, `*_TOKEN`, `*_SECRET`, ...).
 */
export function visitorRunEnvironment(options: {
  ownerEnv: Readonly<Record<string, string | undefined>>;
  visitorKeys: Readonly<Record<string, string>>;
  /** The keys visitors may enter, with their families (`visitorKeyNames`). */
  keyNames: readonly VisitorKeyName[];
  shareOwnerKeys: boolean;
  notebookSetsEndpoint: boolean;
}): Record<string, string> {
  const env: Record<string, string> = {};
  const ownerKeys = options.shareOwnerKeys && !options.notebookSetsEndpoint;
  const declared = new Set(options.keyNames.flatMap((k) => k.family));
  for (const [name, value] of Object.entries(options.ownerEnv)) {
    if (value === undefined) continue;
    if ((CREDENTIAL_ENV.test(name) || declared.has(name)) && !ownerKeys) continue;
    env[name] = value;
  }
  for (const [name, value] of Object.entries(options.visitorKeys)) {
    if (!value) continue;
    for (const n of options.keyNames.find((k) => k.env === name)?.family ?? [name]) delete env[n];
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
 * A copy of the notebook whose attachments and file outputs hold their bytes
 * inline (base64), read from the store; nothing is read from the server's
 * disk or network.
 * @throws {VisitorRunRefusedError} for an attachment or output that is a path, a `file:` URL, a remote URL, or missing from the store
 */
export async function inlineAttachments(config: AIConfig, store: NotebookStore): Promise<AIConfig> {
  const copy = structuredClone(config);
  for (const p of copy.prompts ?? []) {
    const input = p.input;
    const attachments = typeof input === "object" && input !== null && Array.isArray(input.attachments) ? input.attachments : [];
    for (const [i, a] of attachments.entries()) {
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
    // Outputs are read too: a later prompt hands a media output on ({{NAME.output}}) and providers send an
    // earlier output back in the chat context (Gemini's images), both reading a file_uri beside the owner's file.
    for (const [i, output] of (p.outputs ?? []).entries()) {
      if (output.output_type !== "execute_result" || !isStoredData(output.data) || output.data.kind !== "file_uri") continue;
      const where = `prompt "${p.name}", output ${i + 1}`;
      const ref = output.data.value;
      if (/^data:/i.test(ref)) continue;
      if (/^https?:/i.test(ref))
        throw new VisitorRunRefusedError(
          `${where}: the hosted notebook does not fetch remote URLs (${ref.slice(0, 80)}): run the prompt again`,
        );
      const m = STORED_ATTACHMENT.exec(ref);
      if (!m)
        throw new VisitorRunRefusedError(
          `${where}: "${ref.slice(0, 80)}" is a path on the server, which a hosted notebook never reads: run the prompt again, or clear its outputs`,
        );
      const bytes = await store.getBlob(m[1]!);
      if (!bytes) throw new VisitorRunRefusedError(`${where}: the stored file is no longer there: run the prompt again`);
      output.data = { kind: "base64", value: bytes.toString("base64") };
    }
  }
  return copy;
}
