import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
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

test("the bundled bin's start-up path statically imports only its own chunks and Node built-ins (not child_process)", () => {
  // The real build (packages/cli/scripts/build-bin.mjs), into a temporary folder, with its metafile.
  const out = mkdtempSync(join(tmpdir(), "aiconfig-bin-"));
  const build = spawnSync(
    process.execPath,
    [join(repoRoot, "packages", "cli", "scripts", "build-bin.mjs"), `--outdir=${out}`, `--metafile=${join(out, "meta.json")}`],
    { encoding: "utf8" },
  );
  assert.equal(build.status, 0, build.stderr);
  const outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }> = JSON.parse(
    readFileSync(join(out, "meta.json"), "utf8"),
  ).outputs;
  const name = (p: string) => relative(out, resolve(repoRoot, p));
  const seen = new Set<string>();
  const walk = (file: string) => {
    const entry = Object.entries(outputs).find(([p]) => name(p) === file)?.[1];
    for (const i of entry?.imports ?? []) {
      if (i.kind !== "import-statement" || seen.has(i.path)) continue;
      seen.add(i.path);
      if (!i.external) walk(name(i.path));
    }
  };
  walk("bin.js");
  const chunks = [...seen].filter((p) => p.includes("chunks/"));
  assert.ok(chunks.length > 0, "bin.js imports its chunks");
  const external = [...seen].filter((p) => !p.includes("chunks/") && !p.startsWith("node:"));
  assert.deepEqual(external, [], "static imports on the --help path");
  assert.ok(!seen.has("node:child_process"), "child_process is not imported at start-up");
  const startUpCode = [join(out, "bin.js"), ...chunks.map((p) => resolve(repoRoot, p))].map((f) => readFileSync(f, "utf8")).join("\n");
  assert.match(startUpCode, /lazy-child-process/, "commander's child_process is the lazy one");
  assert.doesNotMatch(
    startUpCode,
    /childProcess = (__)?require\(["']node:child_process["']\)/,
    "commander does not require child_process as it loads",
  );
});
