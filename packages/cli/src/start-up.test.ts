import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runWithSdkProbe } from "@aiconfig-ts/testing";
import { build } from "esbuild";

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

test("the bundled bin's start-up path statically imports only its own chunks and Node built-ins", async () => {
  const result = await build({
    entryPoints: [join(repoRoot, "packages", "cli", "src", "bin.ts")],
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["@aiconfig-ts/*"],
    outdir: "out",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const outputs = result.metafile.outputs;
  const seen = new Set<string>();
  const walk = (file: string) => {
    for (const i of outputs[file]?.imports ?? []) {
      if (i.kind !== "import-statement" || seen.has(i.path)) continue;
      seen.add(i.path);
      walk(i.path);
    }
  };
  walk("out/bin.js");
  const external = [...seen].filter((p) => !p.startsWith("out/") && !p.startsWith("node:"));
  assert.deepEqual(external, [], "static imports on the --help path");
});
