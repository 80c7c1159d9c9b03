/**
 * The notebook of `aiconfig edit FILE`: one aiconfig file on disk, saved
 * atomically, reloaded from disk, with attachments and output files under
 * its folder, and runs on the runtime's registry with the environment over
 * the `.env` beside the file.
 *
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import {
  type AIConfig,
  AIConfigRuntime,
  type Output,
  formatForPath,
  formatProblem,
  loadEnvironment,
  readConfigFile,
  serializeConfigFor,
  validateConfig,
  validateSettings,
  writeFileAtomic,
} from "@aiconfig-ts/core";
import { diskVersion, versionOf } from "./file-version.js";
import { type OutputFilesMode, storeLargeOutputs } from "./large-outputs.js";
import { type NotebookContext, notebookError } from "./notebook-context.js";
import { secretValues } from "./redact-secrets.js";
import { RunRegistry } from "./run-registry.js";
import { WorkspacePathError, attachmentPathProblems, mediaFileUnder, writeAttachment } from "./workspace-files.js";

/** Options of {@link fileNotebook}. */
export interface FileNotebookOptions {
  /** The aiconfig file (default: the runtime's `filePath`). */
  file?: string;
  /** Refuse saving, running and attachments. Default `false`. */
  readOnly?: boolean;
  /**
   * Binary outputs as files beside the aiconfig file (`STEM.outputs/`):
   * always (`true`), never (`false`: base64 in the file), or when larger than
   * 256 KiB (`"large"`, the default).
   */
  outputFiles?: OutputFilesMode;
  /** Whether undefined parameters are errors when running. Default `true`. */
  strict?: boolean;
  /** Environment for providers (default: `process.env` over the `.env` beside the file). */
  env?: Record<string, string | undefined>;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";
}

/**
 * A {@link NotebookContext} for one aiconfig file on disk, served by a runtime
 * loaded from it (whose `config` follows each save and reload).
 * @throws {Error} when neither `options.file` nor `runtime.filePath` names the file
 */
export function fileNotebook(runtime: AIConfigRuntime, options: FileNotebookOptions = {}): NotebookContext {
  if (!options.file && !runtime.filePath)
    throw new Error("the editor needs the aiconfig file: pass options.file or a runtime loaded from a file");
  const file = resolve(options.file ?? runtime.filePath ?? "");
  const dir = dirname(file);
  const fileName = basename(file);
  const format = formatForPath(file);
  const outputFiles = options.outputFiles ?? "large";
  // the environment runs see (process.env over the .env beside the file), read again at most once a second
  let env: { at: number; values: Record<string, string | undefined> } | undefined;
  const currentEnvironment = () => {
    if (options.env) return options.env;
    if (!env || Date.now() - env.at > 1000) env = { at: Date.now(), values: loadEnvironment(dir) };
    return env.values;
  };
  let loadedVersion = diskVersion(file);
  function reload(): { config: AIConfig; version: string } {
    let text: Buffer;
    let doc: ReturnType<typeof readConfigFile>;
    try {
      text = readFileSync(file);
      doc = readConfigFile(file);
    } catch (e) {
      throw notebookError(422, firstLine(e));
    }
    const problems = validateConfig(doc.data, doc, file);
    if (problems.length > 0)
      throw notebookError(422, `${fileName} on disk is not a valid aiconfig: ${formatProblem(problems[0]!)}`, {
        problems: problems.map(formatProblem),
      });
    runtime.config = doc.data as AIConfig;
    loadedVersion = versionOf(text);
    return { config: runtime.config, version: loadedVersion };
  }
  return {
    runtime,
    fileName,
    format,
    readOnly: options.readOnly === true,
    secrets: secretValues(options.env ?? loadEnvironment(dir)),
    hasCredential: (name) => {
      const value = currentEnvironment()[name];
      return typeof value === "string" && value.trim() !== "";
    },
    runs: new RunRegistry(),
    ...(outputFiles === "large" ? { storeOutputs: (prompt: string, outputs: Output[]) => storeLargeOutputs(file, prompt, outputs) } : {}),
    version: () => loadedVersion,
    runtimeFor: (config) => {
      const refused = attachmentPathProblems(config.prompts, dir);
      if (refused.length > 0) throw notebookError(400, `not run: ${refused[0]}`, { problems: refused });
      return new AIConfigRuntime(
        config,
        {
          registry: runtime.registry,
          strict: options.strict !== false,
          outputFiles: outputFiles === true,
          ...(options.env ? { env: options.env } : {}),
        },
        file,
      );
    },
    save(config, { baseVersion, force }) {
      if (diskVersion(file) !== baseVersion && !force)
        throw notebookError(409, `${fileName} changed on disk since it was loaded: reload it, or overwrite it with this version`, {
          conflict: true,
        });
      // the file's text edited only where the document differs (its layout, indentation and comments kept)
      const text = serializeConfigFor(file, config, format);
      try {
        writeFileAtomic(file, text);
      } catch (e) {
        throw notebookError(500, `not saved: ${firstLine(e)}`);
      }
      runtime.config = config;
      loadedVersion = versionOf(text);
      const warnings = validateSettings({ data: config }, fileName, runtime.registry).map(formatProblem);
      return { version: loadedVersion, ...(warnings.length ? { warnings } : {}) };
    },
    refresh() {
      if (diskVersion(file) === loadedVersion) return undefined;
      try {
        reload();
        return undefined;
      } catch (e) {
        return `${fileName} changed on disk but cannot be loaded (${e instanceof Error ? e.message : String(e)}): showing the version last loaded; saving will ask before overwriting it`;
      }
    },
    reload,
    readFile(path) {
      try {
        const found = mediaFileUnder(dir, path);
        return { body: readFileSync(found.path), type: found.type };
      } catch (e) {
        if (e instanceof WorkspacePathError) throw notebookError(e.status, e.message);
        throw e;
      }
    },
    writeAttachment(name, _mimeType, bytes) {
      try {
        return writeAttachment(dir, name, bytes);
      } catch (e) {
        if (e instanceof WorkspacePathError) throw notebookError(e.status, `attachment not stored: ${e.message}`);
        throw notebookError(500, `attachment not stored: ${firstLine(e)}`);
      }
    },
  };
}
