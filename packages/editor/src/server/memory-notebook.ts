/**
 * A notebook held in memory, with no file system: what a page runs when the
 * notebook's routes answer inside it (the static site), and what any host
 * without a disk can mount. The document lives in memory; a save replaces it
 * and tells the page (which keeps it, downloads it or shares it);
 * attachments are inline (base64 data) or URLs; a file path is refused unless
 * the host gives a `readFile` (the static site reads the files it ships), which
 * runs read it through while the document keeps the reference; outputs stay
 * inline whatever their size.
 * Browser-safe: no `node:` import (see `@aiconfig-ts/editor/routes`).
 *
 * @packageDocumentation
 */
import {
  type AIConfig,
  AIConfigRuntime,
  encodeBase64,
  type ProviderRegistry,
  formatForPath,
  formatProblem,
  secretValues,
  serializeConfig,
  validateSettings,
} from "@aiconfig-ts/core";
import { type NotebookContext, type NotebookFile, notebookError } from "./notebook-context.js";
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
  /**
   * Reads a file the document names by a relative `file_uri` (an attachment or a stored output), e.g. the
   * media a static site ships beside its notebook, fetched from the site's own folder. Given: a run reads
   * such files through it (its copy of the document holds their bytes as base64, while the document, its
   * saves, downloads and shares keep the references), and `GET /api/files` serves them. Absent: a run
   * naming a file is refused, and `/api/files` answers 404.
   * @throws Error with one line naming the path (it fails the run with a 400, or the file request with a 404)
   */
  readFile?: (path: string) => Promise<NotebookFile>;
}

/** A {@link NotebookContext} in memory, with the saved document readable. */
export interface MemoryNotebook extends NotebookContext {
  /** The saved document (the same as `runtime.config`). */
  readonly config: AIConfig;
}

const URL_DATA = /^(https?|data):/i;

/** The path a stored value (`{kind: "file_uri", value}`) names, when it names a file rather than a URL. */
function namedFile(data: unknown): string | undefined {
  const d = data as { kind?: unknown; value?: unknown } | null;
  return typeof d === "object" && d !== null && d.kind === "file_uri" && typeof d.value === "string" && !URL_DATA.test(d.value)
    ? d.value
    : undefined;
}

/** One line per attachment that names a file (a memory notebook has no files); `[]` when all are data or URLs. */
export function fileAttachmentProblems(prompts: AIConfig["prompts"]): string[] {
  const problems: string[] = [];
  for (const p of prompts ?? []) {
    const input = p.input;
    if (typeof input !== "object" || input === null) continue;
    (input.attachments ?? []).forEach((a, i) => {
      const value = namedFile(a.data);
      if (value !== undefined)
        problems.push(
          `prompt "${p.name}", attachment ${i + 1} names the file ${value}: this notebook has no files; attach it again (stored inline)`,
        );
    });
  }
  return problems;
}

/**
 * A copy of `config` for one run whose attachments and stored outputs that name files hold their bytes
 * (read through `readFile`, as base64), each file read once.
 * @throws {HTTPException} 400 naming the prompt, the place and the path when a file cannot be read
 */
async function withFilesRead(config: AIConfig, readFile: (path: string) => Promise<NotebookFile>): Promise<AIConfig> {
  const read = new Map<string, Promise<string>>();
  const inline = async (data: unknown, where: string) => {
    const path = namedFile(data);
    if (path === undefined) return data;
    let bytes = read.get(path);
    if (!bytes) {
      bytes = readFile(path).then((f) => encodeBase64(f.body));
      read.set(path, bytes);
    }
    try {
      return { kind: "base64", value: await bytes };
    } catch (e) {
      throw notebookError(400, `not run: ${where}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
    }
  };
  const copy = structuredClone(config);
  for (const p of copy.prompts ?? []) {
    const input = p.input;
    if (typeof input === "object" && input !== null && Array.isArray(input.attachments))
      for (const [i, a] of input.attachments.entries())
        a.data = (await inline(a.data, `prompt "${p.name}", attachment ${i + 1}`)) as typeof a.data;
    for (const [i, o] of (p.outputs ?? []).entries())
      if (o.output_type === "execute_result") o.data = (await inline(o.data, `prompt "${p.name}", output ${i + 1}`)) as typeof o.data;
  }
  return copy;
}

/** `readFile` for the routes: a file that cannot be read answers 404 with its one line. */
function readNotebookFile(readFile: (path: string) => Promise<NotebookFile>): (path: string) => Promise<NotebookFile> {
  return async (path) => {
    try {
      return await readFile(path);
    } catch (e) {
      throw notebookError(404, (e instanceof Error ? e.message : String(e)).split("\n")[0]!);
    }
  };
}

/**
 * A notebook in memory: the routes of `createNotebookRoutes()` over it need no disk and no server.
 * `reload` gives the saved document back; `writeAttachment` is absent (the routes answer 404 and the page
 * stores attachments inline), and so is `readFile` unless the options give one.
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
    async runtimeFor(config) {
      const env = { ...environment() };
      if (options.readFile) config = await withFilesRead(config, options.readFile);
      const refused = fileAttachmentProblems(config.prompts);
      if (refused.length > 0) throw notebookError(400, `not run: ${refused[0]}`, { problems: refused });
      return new AIConfigRuntime(config, { registry, strict: options.strict !== false, env });
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
    ...(options.readFile ? { readFile: readNotebookFile(options.readFile) } : {}),
  };
}
