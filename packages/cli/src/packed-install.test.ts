/**
 * What a user gets from `npm install @aiconfig-ts/core @aiconfig-ts/cli`:
 * the packages packed with `npm pack` (as published) and installed into an
 * empty folder, offline, from those tarballs (their third-party dependencies
 * from npm's cache). A model whose provider package is not installed gives
 * one line naming the package and the command that installs it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "@aiconfig-ts/testing";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

test("packed and installed (core + cli only): running an OpenAI prompt says which package to install, in one line", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-packed-"));
  for (const pkg of ["core", "cli"]) {
    const packed = spawnSync(npm, ["pack", "--pack-destination", dir], { cwd: join(repoRoot, "packages", pkg), encoding: "utf8" });
    assert.equal(packed.status, 0, packed.stderr);
  }
  const tarballs = readdirSync(dir).filter((f) => f.endsWith(".tgz"));
  assert.equal(tarballs.length, 2);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true }));
  const install = spawnSync(npm, ["install", "--offline", "--no-audit", "--no-fund", ...tarballs.map((f) => `./${f}`)], {
    cwd: dir,
    encoding: "utf8",
    timeout: 180_000,
  });
  if (install.status !== 0 && /ENOTCACHED/.test(install.stderr)) {
    t.skip("a dependency of core is not in npm's cache (offline install impossible on this machine)");
    return;
  }
  assert.equal(install.status, 0, install.stderr);
  writeFileSync(
    join(dir, "ask.aiconfig.json"),
    JSON.stringify({
      name: "ask",
      schema_version: "latest",
      metadata: {},
      prompts: [{ name: "ask", input: "Hi", metadata: { model: "gpt-4o-mini" } }],
    }),
  );
  const run = spawnSync(join(dir, "node_modules", ".bin", "aiconfig"), ["run", "ask.aiconfig.json"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(run.status, 1, run.stderr);
  assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  assert.match(run.stderr, /gpt-4o-mini.*not installed: @aiconfig-ts\/openai; run `npm install @aiconfig-ts\/openai`/);
});
