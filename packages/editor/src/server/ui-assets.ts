/**
 * The built web UI (`dist/ui`, made by Vite at build time): read once into
 * memory and served by the editor's server, so a user needs no dev server.
 *
 * @packageDocumentation
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** A file of the built UI. */
export interface UiAsset {
  body: Uint8Array;
  type: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

/**
 * Folder of the built UI: `dist/ui` of this package (from `src/server` when
 * running on sources, or `dist/server` when built).
 */
export function defaultUiDir(): string {
  return resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "dist", "ui");
}

/** Thrown when the UI has not been built. */
export class UiNotBuiltError extends Error {
  override name = "UiNotBuiltError";
}

/**
 * Reads every file of the built UI, keyed by URL path (`/index.html`, `/assets/app.js`).
 * @throws {UiNotBuiltError} when `dir/index.html` is missing, saying how to build it
 */
export function loadUiAssets(dir: string = defaultUiDir()): Map<string, UiAsset> {
  if (!existsSync(join(dir, "index.html"))) {
    throw new UiNotBuiltError(
      `the AI Workbook's web UI is not built (${join(dir, "index.html")} is missing): run \`npm run build\` in the repository`,
    );
  }
  const assets = new Map<string, UiAsset>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else
        assets.set(`/${relative(dir, path).split(sep).join("/")}`, {
          body: readFileSync(path),
          type: TYPES[extname(name).toLowerCase()] ?? "application/octet-stream",
        });
    }
  };
  walk(dir);
  return assets;
}
