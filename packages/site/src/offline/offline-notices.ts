/**
 * The third-party notices of a site's offline files (Node, written by
 * `copyOfflineAssets` as `offline/THIRD-PARTY-NOTICES.md`): for each npm
 * package a file of the site comes from, its name, version, licence, home
 * page, the site's files from it, what was changed (espeak-ng's WebAssembly is
 * trimmed to some dictionaries: a modified version, still GPL-3.0-or-later),
 * and the licence's text from the package.
 *
 * @packageDocumentation
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** What the notices say of one package. */
export interface NoticeSource {
  /** The package's folder (holding its `package.json`). */
  dir: string;
  /** Site-relative paths of the files from it. */
  files: string[];
  /** What was changed in them, if anything. */
  changed?: string;
}

interface PackageFacts {
  name: string;
  version: string;
  license: string;
  homepage?: string;
}

const LICENCE_FILES = ["LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "LICENCE.md", "COPYING"];

/**
 * The folder of the npm package a file belongs to: the nearest folder above it
 * whose `package.json` has a name.
 * @throws {Error} when there is none (the file is not in a package)
 */
export function packageDirOf(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && typeof (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "string") return dir;
    if (dirname(dir) === dir) throw new Error(`${file} is in no npm package`);
  }
}

function facts(dir: string): PackageFacts {
  const json = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
  return {
    name: String(json["name"]),
    version: String(json["version"] ?? "?"),
    license: typeof json["license"] === "string" ? json["license"] : "see the package",
    ...(typeof json["homepage"] === "string" ? { homepage: json["homepage"] } : {}),
  };
}

/**
 * The text of `offline/THIRD-PARTY-NOTICES.md` for some packages (Markdown).
 * @param sources the packages and the site's files from each, in the order to list them
 */
export function offlineNotices(sources: readonly NoticeSource[]): string {
  const parts = [
    "# Third-party notices of this site's offline files\n",
    "The page runs these programs and data in the visitor's browser. Each is listed with its licence; the licences' texts follow each entry.\n",
  ];
  for (const source of sources) {
    const p = facts(source.dir);
    parts.push(`## ${p.name} ${p.version}\n`);
    parts.push(`- Licence: ${p.license}`);
    if (p.homepage) parts.push(`- Source: ${p.homepage}`);
    parts.push(`- Files here: ${source.files.map((f) => `\`${f}\``).join(", ")}`);
    if (source.changed) parts.push(`- Changed: ${source.changed}`);
    const licence = LICENCE_FILES.map((f) => join(source.dir, f)).find((f) => existsSync(f));
    parts.push("");
    if (licence) parts.push("```text", readFileSync(licence, "utf8").trimEnd(), "```", "");
  }
  return `${parts.join("\n")}\n`;
}
