/**
 * Atomic replacement of a file on disk (Node only; the browser platform has no
 * file system): what `AIConfigRuntime.save` and the editor's saves use.
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
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { describeFsError } from "./describe-fs-error.js";
import { AIConfigError } from "./errors.js";

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
