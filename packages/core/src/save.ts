/**
 * Writing aiconfig files: serialization to JSON or YAML that keeps every
 * property (including unknown, user-defined ones), and atomic replacement of
 * the file on disk.
 *
 * Sources: the AIConfig specification (`shared/seeds/specification.md`, extra
 * properties are allowed at every level); the Python SDK's
 * `AIConfigRuntime.save(include_outputs=False)`, which leaves the `outputs`
 * property out; `yaml` v2 `stringify` (https://eemeli.org/yaml/).
 *
 * @packageDocumentation
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { type ConfigFormat, formatFromExtension } from "./config-format.js";
import { describeFsError } from "./describe-fs-error.js";
import { AIConfigError } from "./errors.js";
import { loadYaml } from "./lazy-libraries.js";
import type { AIConfig } from "./types.js";
import { updateConfigText } from "./update-config-text.js";

/** Options of {@link serializeConfig}. */
export interface SerializeOptions {
  /** Keep each prompt's `outputs`; when `false` the property is left out. Default `true`. */
  includeOutputs?: boolean;
}

/**
 * Serializes an aiconfig. JSON: 2-space indent and a trailing newline. YAML:
 * block style, long lines not folded, multi-line strings as block literals,
 * no anchors/aliases. Every property is kept, at every level, in its order.
 * The input is never changed (outputs are left out of a shallow copy).
 *
 * @param config - the document (any JSON-compatible data with the AIConfig shape).
 * @param format - `"json"` or `"yaml"`.
 */
export function serializeConfig(config: AIConfig, format: ConfigFormat, options: SerializeOptions = {}): string {
  const data = options.includeOutputs === false ? withoutOutputs(config) : config;
  if (format === "json") return `${JSON.stringify(data, null, 2)}\n`;
  return loadYaml().stringify(data, { lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * The text to save `config` as at `path`: the file's current text edited
 * only where the document differs (see `updateConfigText`: indentation,
 * layout and comments elsewhere are kept, and an unchanged document gives the
 * same bytes), or {@link serializeConfig}'s text for a new file, a file in
 * another format, or one that cannot be edited faithfully.
 *
 * @param path - the file to be written (read here when it exists).
 */
export function serializeConfigFor(path: string, config: AIConfig, format: ConfigFormat, options: SerializeOptions = {}): string {
  let oldText: string;
  try {
    oldText = readFileSync(path, "utf8");
  } catch {
    return serializeConfig(config, format, options);
  }
  const data = options.includeOutputs === false ? withoutOutputs(config) : config;
  return updateConfigText(oldText, format, data) ?? serializeConfig(config, format, options);
}

/** A shallow copy of `config` whose prompts (also copies) have no `outputs` property. */
function withoutOutputs(config: AIConfig): AIConfig {
  if (!Array.isArray(config.prompts)) return config;
  return {
    ...config,
    prompts: config.prompts.map((p) => {
      if (p === null || typeof p !== "object" || !("outputs" in p)) return p;
      const { outputs: _outputs, ...rest } = p;
      return rest as typeof p;
    }),
  };
}

/**
 * The format to write a path in: `.yaml`/`.yml` -> `"yaml"`, anything else
 * (`.json`, no or another extension) -> `"json"`.
 */
export function formatForPath(path: string): ConfigFormat {
  return formatFromExtension(path) ?? "json";
}

/**
 * Replaces a file's content atomically: writes a uniquely named temporary file
 * in the same folder, flushes it to disk (fsync), then renames it over the
 * target, so readers see the old or the new content, never a part. An
 * existing target keeps its permission bits; a symbolic link is followed (the
 * file it points to is replaced). On failure the temporary file is removed and
 * the original is left untouched. A save killed outright (SIGKILL, power loss)
 * cannot clean up: the next save of the same file removes the temporaries
 * that such saves left (those whose process is gone, see {@link removeStaleTemporaries}).
 *
 * @param path - the file to write (created when missing; its folder must exist).
 * @param text - the content, written as UTF-8.
 * @throws {@link AIConfigError} `cannot save PATH: REASON` (the Node error is its `cause`).
 */
export function writeFileAtomic(path: string, text: string): void {
  let target = path;
  let mode: number | undefined;
  try {
    target = realpathSync(path);
    mode = statSync(target).mode & 0o7777;
  } catch {
    // a new file: default permissions
  }
  removeStaleTemporaries(target);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let created = false;
  try {
    const fd = openSync(tmp, "wx", mode ?? 0o666);
    created = true;
    try {
      const bytes = Buffer.from(text, "utf8");
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      if (mode !== undefined) fchmodSync(fd, mode); // openSync's mode is reduced by the umask
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
    created = false;
    syncFolder(dirname(target));
  } catch (err) {
    if (created) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
    throw new AIConfigError(`cannot save ${path}: ${describeFsError(err)}`, { cause: err });
  }
}

/**
 * Removes the temporary files that killed saves of `target` left in its
 * folder: `.NAME.PID.RANDOM.tmp` whose process PID no longer runs (the name
 * carries the writer's process id so that a save in progress in another
 * process is never touched). Best effort: a file that cannot be removed is left.
 *
 * @param target - the file being saved (its real path).
 * @returns the number of files removed
 */
export function removeStaleTemporaries(target: string): number {
  const folder = dirname(target);
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const match = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isRunning(pid)) continue;
    try {
      unlinkSync(join(folder, name));
      removed++;
    } catch {
      // removed by another save meanwhile, or not ours to remove
    }
  }
  return removed;
}

/** Whether a process with this id runs (EPERM: it runs, as another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Flushes a folder's entries (the rename) to disk; best effort, some systems refuse it. */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not supported here (e.g. Windows); the rename itself is still atomic
  }
}
