import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

test("a TypeScript providers module without tsx installed fails with one line that says to install tsx; a .mjs one needs nothing", async () => {
  // The loader bundled into a folder with no node_modules: there, as in an install without tsx, `tsx/esm/api` does not resolve.
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-no-tsx-"));
  await build({
    entryPoints: [fileURLToPath(new URL("./providers-module.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["tsx/esm/api"],
    outfile: join(dir, "loader.mjs"),
    logLevel: "silent",
  });
  writeFileSync(join(dir, "aiconfig.providers.ts"), "export function register(registry: unknown): void {}\n");
  writeFileSync(join(dir, "aiconfig.providers.mjs"), "export function register(registry) { registry.registered = true; }\n");
  const script = `
    import { loadProvidersModule } from "./loader.mjs";
    const registry = { register() {} };
    await loadProvidersModule("aiconfig.providers.mjs", registry);
    try { await loadProvidersModule("aiconfig.providers.ts", registry); } catch (e) { console.log(e.name + ": " + e.message); }`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 1, r.stdout);
  assert.match(
    lines[0]!,
    /^ProvidersModuleError: providers module .*aiconfig\.providers\.ts is TypeScript, which needs tsx: run `npm install tsx`/,
  );
});
