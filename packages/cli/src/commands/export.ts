/**
 * `aiconfig export FILE --site DIR`: writes FILE as a static site, a folder any
 * static host serves as it is (GitHub Pages, a static Space, `python3 -m
 * http.server`), where the notebook runs in the visitor's browser: offline
 * models in the page, key-based providers with the visitor's own key.
 * The site package (`@aiconfig-ts/site`) is an optional peer, loaded only by
 * this command's action (this module imports only commander, for start-up).
 */
import type { Command } from "commander";
import { UsageError } from "../usage-error.js";

/** Options of {@link exportCommand}, as commander parses them. */
export interface ExportOptions {
  /** The site folder to write. */
  site: string;
  /** Write into a non-empty folder. */
  force?: boolean;
}

/** Adds `export` to the program; its action sets `result.code`. */
export function registerExportCommand(cli: Command, result: { code: number }): void {
  cli
    .command("export")
    .description(
      "Write FILE as a static site: a folder any static host serves as it is, where the notebook runs in the visitor's browser (offline models in the page, other providers with the visitor's own key).",
    )
    .argument("<file>", "aiconfig file (.json, .yaml, .yml)")
    .requiredOption("--site <dir>", "folder to write the site into (created when missing; must be empty unless --force)")
    .option("--force", "write into a non-empty DIR (files of the same names are replaced; no other file is removed)")
    .addHelpText(
      "after",
      "\nThe site holds the page, FILE, the files its prompts attach (only from FILE's folder) and the offline models it uses;\nnever a key. Publish it by copying DIR to a static host.\n\nExamples:\n  aiconfig export notebook.aiconfig.json --site site/\n  python3 -m http.server -d site/ 8000",
    )
    .action(async (file: string, opts: ExportOptions) => {
      result.code = await exportCommand(file, opts);
    });
}

/** The site package, an optional peer of the CLI: only `export --site` needs it. */
async function importSite(): Promise<typeof import("@aiconfig-ts/site")> {
  try {
    return await import("@aiconfig-ts/site");
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if ((e?.code === "ERR_MODULE_NOT_FOUND" || e?.code === "MODULE_NOT_FOUND") && String(e.message).includes("@aiconfig-ts/site")) {
      throw new Error(
        "export --site needs the static page (@aiconfig-ts/site), which is not installed: run `npm install @aiconfig-ts/site`",
      );
    }
    throw error;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 2 : 1)} MB`;
}

/**
 * Writes the site (see `writeSite` of `@aiconfig-ts/site`) and prints on
 * stdout what it wrote and its size.
 * @returns the exit code: 0 written, 1 the file is invalid or names a file outside its folder, 2 DIR is not empty without --force
 */
export async function exportCommand(file: string, opts: ExportOptions): Promise<number> {
  const site = await importSite();
  let written: Awaited<ReturnType<typeof site.writeSite>>;
  try {
    written = await site.writeSite({ configPath: file, siteDir: opts.site, force: opts.force === true });
  } catch (error) {
    if (site.SiteFolderNotEmptyError.isInstance(error))
      throw new UsageError(`--site ${opts.site}: the folder is not empty; choose an empty or new folder, or add --force to write into it`);
    throw error;
  }
  const models = Object.keys(written.manifest.models);
  process.stdout.write(
    `wrote ${opts.site}: ${written.files.length} files, ${megabytes(written.bytes)}` +
      (models.length ? ` (${megabytes(written.modelBytes)} of models: ${models.join(", ")})` : "") +
      "\n" +
      written.files.map((f) => `  ${f}\n`).join("") +
      `Publish it by copying ${opts.site} to a static host, or try it with: python3 -m http.server -d ${opts.site} 8000\n`,
  );
  return 0;
}
