// Shared by the editor's benchmarks: starts the editor (built: dist/) on a
// temporary file with the test providers module beside it, and launches
// Debian's headless Chromium through playwright-core.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, CHROMIUM_ARGS } from "@aiconfig-ts/testing";

const here = dirname(fileURLToPath(import.meta.url));
export const packageDir = join(here, "..");
export { CHROMIUM, CHROMIUM_ARGS };

/** Fails with a clear message when the package or Chromium is not ready. */
export function checkReady() {
  for (const f of ["dist/index.js", "dist/ui/index.html"]) {
    if (!existsSync(join(packageDir, f))) throw new Error(`packages/editor/${f} is missing: run \`npm run build\` first`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install-browser.sh`);
}

/**
 * Starts the editor on `config` in a new folder; returns { editor, dir, file }.
 * `providerPackages` names more provider packages to register (e.g. "@aiconfig-ts/openai"), as `aiconfig edit` does with the installed ones.
 */
export async function startBenchEditor(config, { withLlama = false, providerPackages = [], fileName = "bench.aiconfig.json" } = {}) {
  const { startEditor } = await import("@aiconfig-ts/editor");
  const { ProviderRegistry, defaultRegistry } = await import("@aiconfig-ts/core");
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-editor-bench-"));
  const file = join(dir, fileName);
  writeFileSync(file, JSON.stringify(config));
  copyFileSync(join(packageDir, "src", "testdata", "aiconfig.providers.mjs"), join(dir, "aiconfig.providers.mjs"));
  const registry = new ProviderRegistry(defaultRegistry);
  if (withLlama) (await import("@aiconfig-ts/llama")).register(registry);
  for (const name of providerPackages) (await import(name)).register(registry);
  // named, as a user names it with --providers (a module beside the file runs only from a trusted folder)
  const editor = await startEditor({ file, open: false, registry, providersModule: join(dir, "aiconfig.providers.mjs") });
  return {
    editor,
    dir,
    file,
    cleanup: async () => {
      await editor.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with a fresh profile; returns { context, close }. */
export async function launch() {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "aiconfig-editor-bench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
