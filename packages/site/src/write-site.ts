/**
 * Writes a static site for one aiconfig file (`aiconfig export FILE --site
 * DIR`): the built page (`dist-site/`), the aiconfig file as it is, the local
 * attachments and stored output files it names (each checked by core's
 * `checkAttachmentPath`: nothing outside the file's folder), the offline
 * providers' assets (`copyOfflineAssets`) and `site.json`.
 *
 * Everything is first written into a staging folder beside DIR and moved into
 * place at the end, so a failure leaves DIR as it was.
 */
import { cp, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type AIConfig,
  AIConfigError,
  checkAttachmentPath,
  findWrittenSecrets,
  readConfigFile,
  ValidationError,
  validateConfig,
} from "@aiconfig-ts/core";
import { MEDIA_TYPES } from "@aiconfig-ts/editor";
import { copyOfflineAssets } from "./offline/copy-offline-assets.js";
import type { SiteManifest } from "./site-manifest.js";

/** The site folder is not empty and the caller did not allow writing into it. */
export class SiteFolderNotEmptyError extends AIConfigError {
  override name = "SiteFolderNotEmptyError";
  constructor(readonly dir: string) {
    super(`${dir} is not empty`);
  }
}

/** The aiconfig file has a key written in it, which a published site would give to every visitor. */
export class WrittenKeyError extends AIConfigError {
  override name = "WrittenKeyError";
  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly setting: string,
  ) {
    super(
      `${file}: a key is written in the file at ${pointer} (${setting}); a site gives the file to every visitor: remove it (visitors enter their own keys in the page)`,
    );
  }
}

/**
 * An attachment or output file the site will not hold: not a media file (a
 * page, a script or an SVG would run on the site's origin, beside the
 * visitors' keys), or a name the site's own files use.
 */
export class SiteFileRefusedError extends AIConfigError {
  override name = "SiteFileRefusedError";
  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${file}: the file at ${pointer} ("${path}") is not put in the site: ${reason}`);
  }
}

/**
 * File types a site holds for attachments and outputs (extension -> MIME type):
 * the editor's media types without SVG; no HTML, script or SVG, which a browser would run on the site's origin.
 */
export const SITE_MEDIA_TYPES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(MEDIA_TYPES).filter(([extension]) => extension !== ".svg"),
);

/** The built page is missing (the site package was installed without `dist-site/`, or not built). */
export class SiteNotBuiltError extends AIConfigError {
  override name = "SiteNotBuiltError";
  constructor(readonly dir: string) {
    super(`the static page is not built (${dir} is missing): run \`npm run build -w packages/site\``);
  }
}

/** Options of {@link writeSite}. */
export interface WriteSiteOptions {
  /** The aiconfig file (JSON or YAML). */
  configPath: string;
  /** The site folder, created when missing. */
  siteDir: string;
  /** Write into a non-empty `siteDir` (its files of the same names are replaced; no other file is removed). Default false. */
  force?: boolean;
  /** The built page to copy; default {@link builtSiteDir}'s. */
  pageDir?: string;
}

/** What {@link writeSite} wrote. */
export interface WrittenSite {
  /** The site folder (absolute). */
  dir: string;
  /** Every file written, relative to the site folder, `/`-separated, sorted. */
  files: string[];
  /** Total size of the files written, in bytes. */
  bytes: number;
  /** Size of the models (GGUF) among them, in bytes. */
  modelBytes: number;
  /** What `site.json` holds. */
  manifest: SiteManifest;
}

/** The folder of the built page (`dist-site/`, made by this package's `npm run build`): `index.html` and `assets/`. */
export function builtSiteDir(): string {
  return fileURLToPath(new URL("../dist-site/", import.meta.url));
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw error;
  }
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out;
}

/** The local files a document names (attachments and stored outputs with a relative `file_uri`), with their JSON pointers. */
function localFiles(config: AIConfig): { path: string; prompt: string; pointer: string }[] {
  const found: { path: string; prompt: string; pointer: string }[] = [];
  const add = (data: unknown, prompt: string, pointer: string) => {
    const d = data as { kind?: unknown; value?: unknown } | null;
    if (typeof d === "object" && d !== null && d.kind === "file_uri" && typeof d.value === "string" && !/^(https?|data):/i.test(d.value))
      found.push({ path: d.value, prompt, pointer });
  };
  config.prompts.forEach((p, i) => {
    if (typeof p.input === "object" && p.input !== null && Array.isArray(p.input.attachments))
      p.input.attachments.forEach((a, j) => {
        add(a.data, p.name, `/prompts/${i}/input/attachments/${j}/data`);
      });
    (p.outputs ?? []).forEach((o, j) => {
      if (o.output_type === "execute_result") add(o.data, p.name, `/prompts/${i}/outputs/${j}/data`);
    });
  });
  return found;
}

/**
 * Writes the static site of one aiconfig file (see the module comment).
 * @throws {ParseError} / {ValidationError} when the file does not parse or follow the schema (located problems)
 * @throws {WrittenKeyError} when a key is written in the file
 * @throws {AttachmentPathError} when an attachment or output file is outside the file's folder
 * @throws {SiteFolderNotEmptyError} when `siteDir` has files and `force` is not set
 * @throws {SiteNotBuiltError} when the built page is missing
 */
export async function writeSite(options: WriteSiteOptions): Promise<WrittenSite> {
  const configPath = resolve(options.configPath);
  const siteDir = resolve(options.siteDir);
  const pageDir = options.pageDir ?? builtSiteDir();
  const doc = readConfigFile(options.configPath);
  const problems = validateConfig(doc.data, doc, options.configPath);
  if (problems.length) throw new ValidationError(problems);
  const config = doc.data as AIConfig;
  const written = findWrittenSecrets(doc.data)[0];
  if (written) throw new WrittenKeyError(options.configPath, written.pointer, written.name);

  const configDir = dirname(configPath);
  const copies = localFiles(config).map((f) => {
    const source = checkAttachmentPath(f.path, configDir, { file: options.configPath, prompt: f.prompt, pointer: f.pointer });
    const target = normalize(f.path.startsWith("file:") ? relative(configDir, source) : f.path)
      .split(sep)
      .join("/");
    if (!SITE_MEDIA_TYPES[extname(target).toLowerCase()])
      throw new SiteFileRefusedError(
        options.configPath,
        f.pointer,
        f.path,
        `only media files (${Object.keys(SITE_MEDIA_TYPES).join(" ")})`,
      );
    return { ...f, source, target };
  });
  if (!options.force && !(await isEmptyOrMissing(siteDir))) throw new SiteFolderNotEmptyError(options.siteDir);
  try {
    await stat(join(pageDir, "index.html"));
  } catch {
    throw new SiteNotBuiltError(pageDir);
  }

  await mkdir(dirname(siteDir), { recursive: true });
  const staging = join(dirname(siteDir), `.${basename(siteDir)}.partial-${process.pid}-${Date.now()}`);
  try {
    await cp(pageDir, staging, { recursive: true });
    const notebook = basename(configPath);
    await cp(configPath, join(staging, notebook));
    const assets = await copyOfflineAssets(config, configPath, staging);
    const manifest: SiteManifest = { ...assets, notebook };
    await writeFile(join(staging, "site.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    const siteOwn = new Set(await listFiles(staging));
    for (const c of copies) {
      const to = join(staging, c.target);
      if (!to.startsWith(staging + sep)) continue; // checkAttachmentPath already refused any path that leaves the folder
      if (siteOwn.has(c.target))
        throw new SiteFileRefusedError(options.configPath, c.pointer, c.path, "the site's own file has that name; move or rename the file");
      await mkdir(dirname(to), { recursive: true });
      await cp(c.source, to);
    }
    const files = (await listFiles(staging)).sort();
    let bytes = 0;
    let modelBytes = 0;
    const models = new Set(Object.values(assets.models));
    for (const f of files) {
      const size = (await stat(join(staging, f))).size;
      bytes += size;
      if (models.has(f)) modelBytes += size;
    }
    if (await isEmptyOrMissing(siteDir)) {
      await rm(siteDir, { recursive: true, force: true });
      await rename(staging, siteDir);
    } else {
      await cp(staging, siteDir, { recursive: true, force: true });
    }
    return { dir: siteDir, files, bytes, modelBytes, manifest };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
