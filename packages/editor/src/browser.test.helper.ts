/**
 * Test support for the editor: builds the web UI when its sources are newer
 * than `dist/ui`, launches Debian's Chromium headless through playwright-core
 * (Playwright cannot download browsers here), and writes aiconfig files.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from "@aiconfig-ts/testing";

export { CHROMIUM, CHROMIUM_ARGS };

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds `dist/ui` with Vite when it is missing or older than `ui/` and
 * `src/api-types.ts`. Test files run in parallel processes: one builds (under
 * a lock folder), the others wait for it.
 */
export function ensureUiBuilt(): void {
  const index = join(packageDir, "dist", "ui", "index.html");
  const upToDate = () => {
    const sources = Math.max(newestMtime(join(packageDir, "ui")), newestMtime(join(packageDir, "src", "api-types.ts")));
    return existsSync(index) && statSync(index).mtimeMs >= sources;
  };
  if (upToDate()) return;
  const lock = join(packageDir, "dist", ".ui-build-lock");
  mkdirSync(join(packageDir, "dist"), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // another test process is building; a lock older than 3 minutes is stale
      const held = statSync(lock, { throwIfNoEntry: false });
      if (waited > 180_000 || (held && Date.now() - held.mtimeMs > 180_000)) rmSync(lock, { recursive: true, force: true });
      sleepSync(200);
      if (upToDate()) return;
    }
  }
  try {
    if (!upToDate()) buildUi();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function buildUi(): void {
  const vite = join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "--config", join(packageDir, "ui", "vite.config.ts"), "--logLevel", "warn"], {
    cwd: packageDir,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`building the editor's UI failed:\n${r.stdout}\n${r.stderr}`);
}

/** A headless Chromium with a fresh profile. */
export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Errors thrown in pages (uncaught), for assertions. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Launches Chromium with a new, empty profile folder.
 * @throws when Chromium is missing, saying how to install it
 */
export async function launchBrowser(
  options: { colorScheme?: "light" | "dark"; viewport?: { width: number; height: number } } = {},
): Promise<TestBrowser> {
  requireChromium();
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "aiconfig-editor-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? "light",
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  context.on("page", (p) => p.on("pageerror", (e) => pageErrors.push(e.message)));
  page.on("pageerror", (e) => pageErrors.push(e.message));
  return {
    context,
    page,
    pageErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new temporary folder for a test's files. */
export function tempDir(prefix = "aiconfig-editor-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
