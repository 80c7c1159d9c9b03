import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "@aiconfig-ts/testing";

test("the built CLI installed without the editor, the site or any provider: --help and validate work, edit and export --site name the package to install", () => {
  // A node_modules as npm lays out `npm i @aiconfig-ts/cli` (its dependencies only; optional peers absent).
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-cli-alone-"));
  const scope = join(dir, "node_modules", "@aiconfig-ts");
  mkdirSync(scope, { recursive: true });
  const cli = join(scope, "cli");
  for (const part of ["package.json", "bin", "dist"]) cpSync(join(repoRoot, "packages", "cli", part), join(cli, part), { recursive: true });
  symlinkSync(join(repoRoot, "packages", "core"), join(scope, "core"), "dir");
  symlinkSync(join(repoRoot, "node_modules", "commander"), join(dir, "node_modules", "commander"), "dir");
  cpSync(join(repoRoot, "examples", "story.aiconfig.json"), join(dir, "story.aiconfig.json"));
  const aiconfig = (...args: string[]) =>
    spawnSync(process.execPath, [join(cli, "bin", "aiconfig.js"), ...args], { cwd: dir, encoding: "utf8", timeout: 60_000 });

  const help = aiconfig("--help");
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /Usage: aiconfig/);
  const validate = aiconfig("validate", "story.aiconfig.json");
  assert.equal(validate.status, 0, validate.stderr);
  const edit = aiconfig("edit", "story.aiconfig.json", "--no-open");
  assert.equal(edit.status, 1);
  assert.equal(edit.stderr.trim().split("\n").length, 1, edit.stderr);
  assert.match(
    edit.stderr,
    /^aiconfig: edit needs the AI Workbook \(@aiconfig-ts\/editor\), which is not installed: run `npm install @aiconfig-ts\/editor`/,
  );
  const exported = aiconfig("export", "story.aiconfig.json", "--site", "site");
  assert.equal(exported.status, 1);
  assert.equal(exported.stderr.trim().split("\n").length, 1, exported.stderr);
  assert.match(
    exported.stderr,
    /^aiconfig: export --site needs the static page \(@aiconfig-ts\/site\), which is not installed: run `npm install @aiconfig-ts\/site`/,
  );
  const worker = aiconfig("worker", "--queue", "redis://127.0.0.1:1");
  assert.equal(worker.status, 1, worker.stderr);
  assert.equal(
    worker.stderr,
    "aiconfig: worker --queue needs the job queue (@aiconfig-ts/queue), which is not installed: run `npm install @aiconfig-ts/queue`\n",
  );
  const run = aiconfig("run", "story.aiconfig.json");
  assert.equal(run.status, 1);
  assert.equal(
    run.stderr,
    'aiconfig: model "stories260K" (prompt "opening") needs a provider package that is not installed: @aiconfig-ts/llama; run `npm install @aiconfig-ts/llama`\n',
    "a model whose provider package is missing names it, and not core's advice to map it to a registered provider (there is none)",
  );
});
