import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { test } from "node:test";
import { repoRoot, runWithSdkProbe } from "@aiconfig-ts/testing";

const cli = JSON.stringify(join(repoRoot, "packages", "cli", "src", "cli.ts"));

test("--help imports no package of this project (not core, the editor or a provider)", () => {
  const out = runWithSdkProbe("@aiconfig-ts/", `import { main } from ${cli}; process.exitCode = await main(["--help"]);`);
  assert.match(out, /Usage: aiconfig/);
  assert.doesNotMatch(out, /SDK LOADED/);
});

test("resolve of a file on the local model imports neither the editor nor the other providers", () => {
  for (const pkg of ["@aiconfig-ts/editor", "@aiconfig-ts/openai"]) {
    const out = runWithSdkProbe(
      pkg,
      `import { main } from ${cli}; process.exitCode = await main(["resolve", "examples/story.aiconfig.json", "--prompt", "opening"]);`,
    );
    assert.match(out, /"prompt"|"messages"|"text"/, out);
    assert.doesNotMatch(out, /SDK LOADED/, pkg);
  }
});

test("the bundled bin's start-up path is one CommonJS file that requires only Node built-ins (not child_process) and imports each command when it runs", () => {
  // The real build (packages/cli/scripts/build-bin.mjs), into a temporary folder, with its metafiles.
  const out = mkdtempSync(join(tmpdir(), "aiconfig-bin-"));
  const build = spawnSync(
    process.execPath,
    [join(repoRoot, "packages", "cli", "scripts", "build-bin.mjs"), `--outdir=${out}`, `--metafile=${join(out, "meta.json")}`],
    { encoding: "utf8" },
  );
  assert.equal(build.status, 0, build.stderr);
  type Outputs = Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
  const { startUp }: { startUp: { outputs: Outputs } } = JSON.parse(readFileSync(join(out, "meta.json"), "utf8"));
  const outputs = Object.entries(startUp.outputs).filter(([p]) => p.endsWith(".cjs"));
  assert.deepEqual(
    outputs.map(([p]) => relative(out, resolve(repoRoot, "packages", "cli", p))),
    ["bin.cjs"],
    "one file on the start-up path",
  );
  const imports = outputs[0]![1].imports;
  const loaded = imports.filter((i) => i.kind === "require-call" || i.kind === "import-statement").map((i) => i.path);
  assert.deepEqual(
    loaded.filter((p) => !p.startsWith("node:")),
    [],
    "the start-up path loads nothing but Node built-ins",
  );
  const commands = imports.filter((i) => i.kind === "dynamic-import").map((i) => i.path);
  for (const command of ["run", "resolve", "validate", "edit", "batch"])
    assert.ok(commands.includes(`./esm/commands/${command}.js`), `${command} is imported when it runs`);
  for (const path of commands.filter((p) => p.startsWith("./"))) assert.ok(existsSync(join(out, path)), `${path} is built`);
  const startUpCode = readFileSync(join(out, "bin.cjs"), "utf8");
  assert.match(startUpCode, /lazy-child-process/, "commander's child_process is the lazy one");
  assert.deepEqual(
    startUpCode.match(/.*require\(["']node:child_process["']\).*/g)?.map((line) => line.trim()),
    ['module2.exports = { spawn: (...args) => (cp ??= require("node:child_process")).spawn(...args) };'],
    "child_process is required only inside the lazy spawn, on its first call",
  );
  assert.doesNotMatch(
    startUpCode,
    /childProcess = (__)?require\(["']node:child_process["']\)/,
    "commander does not require child_process as it loads",
  );
  const help = spawnSync(process.execPath, [join(out, "bin.cjs"), "--help"], { encoding: "utf8" });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /Usage: aiconfig/);
});
