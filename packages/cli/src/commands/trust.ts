import { resolve } from "node:path";
import { listTrustedFolders, trustFilePath, trustFolder, untrustFolder } from "@aiconfig-ts/core";
import { safeText } from "../terminal-text.js";
import { UsageError } from "../usage-error.js";

/**
 * `aiconfig trust [DIR]`: trusts a folder (default: the current one), so
 * that runs of files in it import its providers module;
 * `aiconfig trust --list` prints the trusted folders, one per line, on stdout
 * (none: nothing on stdout, and one line on stderr saying so);
 * `aiconfig trust --remove DIR` stops trusting one (said with its absolute path,
 * as `trust` says what it stored). Kept in core's trust file
 * (`trustFilePath()`).
 * @throws {UsageError} for `--list` with a folder or with `--remove`
 */
export async function trustCommand(dir: string | undefined, opts: { list?: boolean; remove?: boolean }): Promise<number> {
  if (opts.list) {
    if (dir !== undefined || opts.remove) throw new UsageError("--list takes no folder and no --remove");
    const folders = listTrustedFolders();
    for (const folder of folders) process.stdout.write(`${safeText(folder)}\n`);
    if (folders.length === 0) {
      process.stderr.write(`no folder is trusted (\`aiconfig trust DIR\` adds one; the list is ${safeText(trustFilePath())})\n`);
    }
    return 0;
  }
  const target = dir ?? ".";
  if (opts.remove) {
    const removed = untrustFolder(target);
    const folder = safeText(resolve(target));
    process.stderr.write(removed ? `no longer trusted: ${folder}\n` : `${folder} was not trusted\n`);
    return 0;
  }
  const stored = trustFolder(target);
  process.stderr.write(
    `trusted ${safeText(stored)}: runs of files in it import its aiconfig.providers.{js,mjs,ts} (listed in ${safeText(trustFilePath())})\n`,
  );
  return 0;
}
