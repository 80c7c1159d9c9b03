/**
 * A notebook held in memory, with no file system: what a page runs when the
 * notebook's routes answer inside it (the static site), and what any host
 * without a disk can mount. The document lives in memory; a save replaces it
 * and tells the page (which keeps it, downloads it or shares it);
 * attachments are inline (base64 data) or URLs, a file path is refused; there
 * are no files to read; outputs stay inline whatever their size.
 * Browser-safe: no `node:` import (see `@aiconfig-ts/editor/routes`).
 *
 * @packageDocumentation
 */
import {
  type AIConfig,
  AIConfigRuntime,
  type ProviderRegistry,
  formatForPath,
  formatProblem,
  secretValues,
  serializeConfig,
  validateSettings,
} from "@aiconfig-ts/core";
import { type NotebookContext, notebookError } from "./notebook-context.js";
import { RunRegistry } from "./run-registry.js";

/** Options of {@link createMemoryNotebook}. */
export interface MemoryNotebookOptions {
  /** The document at the start (copied: later changes of the caller's object are not seen). */
  config: AIConfig;
  /** The name the page shows and downloads use; `.yaml`/`.yml` makes the format YAML. Default `notebook.aiconfig.json`. */
  fileName?: string;
  /** The providers runs use (e.g. one with the key-based and the in-browser offline providers registered). */
  registry: ProviderRegistry;
  /**
   * The environment runs read keys from (e.g. `{ OPENAI_API_KEY: "..." }` typed by the visitor), or a
   * function giving the current one (read at each run, so a key entered later is used). Its credential
   * values are redacted from everything sent to the page. Default: none.
   */
  environment?: Record<string, string | undefined> | (() => Record<string, string | undefined>);
  /** Refuse saving, running and attachments (a shared notebook opened read-only). Default `false`. */
  readOnly?: boolean;
  /** Whether undefined parameters are errors when running. Default `true`. */
  strict?: boolean;
  /**
   * Called on each save, before the document is replaced, with the document and its text in the notebook's
   * format (JSON or YAML by `fileName`; what the page keeps in storage or offers for download, and what the SDK
   * loads unchanged). An error it throws fails the save with a 500 and its first line, and the document stays.
   */
  onSave?: (config: AIConfig, text: string) => void | Promise<void>;
}

/** A {@link NotebookContext} in memory, with the saved document readable. */
export interface MemoryNotebook extends NotebookContext {
  /** The saved document (the same as `runtime.config`). */
  readonly config: AIConfig;
}

const URL_DATA = /^(https?|data):/i;

/** One line per attachment that names a file (a memory notebook has no files); `[]` when all are data or URLs. */
export function fileAttachmentProblems(prompts: AIConfig["prompts"]): string[] {
  const problems: string[] = [];
  for (const p of prompts ?? []) {
    const input = p.input;
    if (typeof input !== "object" || input === null) continue;
    (input.attachments ?? []).forEach((a, i) => {
      const data = a.data as unknown;
      const value =
        typeof data === "object" && data !== null && (data as { kind?: unknown }).kind === "file_uri"
          ? (data as { value?: unknown }).value
          : undefined;
      if (typeof value === "string" && !URL_DATA.test(value))
        problems.push(
          `prompt "${p.name}", attachment ${i + 1} names the file ${value}: this notebook has no files; attach it again (stored inline)`,
        );
    });
  }
  return problems;
}

/**
 * A notebook in memory: the routes of `createNotebookRoutes()` over it need no disk and no server.
 * `reload` gives the saved document back; `readFile` and `writeAttachment` are absent (the routes answer
 * 404 and the page stores attachments inline).
 */
export function createMemoryNotebook(options: MemoryNotebookOptions): MemoryNotebook {
  const fileName = options.fileName ?? "notebook.aiconfig.json";
  const { registry } = options;
  const environment = (): Record<string, string | undefined> =>
    typeof options.environment === "function" ? options.environment() : (options.environment ?? {});
  const runtime = new AIConfigRuntime(structuredClone(options.config), { registry, env: {} });
  const format = formatForPath(fileName);
  let version = 1;
  return {
    runtime,
    fileName,
    format,
    readOnly: options.readOnly === true,
    get config() {
      return runtime.config;
    },
    get secrets() {
      return secretValues(environment());
    },
    hasCredential: (name) => {
      const value = environment()[name];
      return typeof value === "string" && value.trim() !== "";
    },
    runs: new RunRegistry(),
    version: () => String(version),
    runtimeFor(config) {
      const refused = fileAttachmentProblems(config.prompts);
      if (refused.length > 0) throw notebookError(400, `not run: ${refused[0]}`, { problems: refused });
      return new AIConfigRuntime(config, { registry, strict: options.strict !== false, env: { ...environment() } });
    },
    async save(config, { baseVersion, force }) {
      if (baseVersion !== String(version) && !force)
        throw notebookError(409, `${fileName} changed in another view since it was loaded: reload it, or overwrite it with this version`, {
          conflict: true,
        });
      try {
        if (options.onSave) await options.onSave(config, serializeConfig(config, format));
      } catch (e) {
        throw notebookError(500, `not saved: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
      }
      runtime.config = config;
      version += 1;
      const warnings = validateSettings({ data: config }, fileName, registry).map(formatProblem);
      return { version: String(version), ...(warnings.length ? { warnings } : {}) };
    },
    reload: () => ({ config: runtime.config, version: String(version) }),
  };
}
