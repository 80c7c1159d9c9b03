import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { modelsDir, repoRoot } from "@aiconfig-ts/testing";
import { parse } from "csv-parse/sync";

/** The arguments of the README's batch example (after `npx aiconfig`), split as a shell would split them. */
function readmeExampleArgs(): string[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Batch runs"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!.replace(/\\\n/g, " ");
  const command = block.slice(block.indexOf("npx aiconfig ") + "npx aiconfig ".length).trim();
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

test("the README's batch example runs as written on the offline model: four stories from the 2×2 grid, in grid order", async () => {
  const args = readmeExampleArgs();
  assert.deepEqual(args.slice(0, 4), ["batch", "examples/story.aiconfig.json", "--prompt", "opening"]);
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-readme-batch-"));
  cpSync(join(repoRoot, "examples", "story.aiconfig.json"), join(dir, "examples", "story.aiconfig.json"));
  // `npx aiconfig` runs the installed command: node_modules/.bin/aiconfig (the built CLI).
  const child = spawn(join(repoRoot, "node_modules", ".bin", "aiconfig"), args, {
    cwd: dir,
    env: { ...process.env, AICONFIG_MODELS_DIR: modelsDir },
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const code = await new Promise((resolve) => child.on("close", resolve));
  assert.equal(code, 0, stderr);
  const rows = parse(readFileSync(join(dir, "stories.csv")), { columns: true }) as Record<string, string>[];
  assert.deepEqual(
    rows.map((row) => [row.hero, row.place, row.model]),
    [
      ["Lily", "the park", "stories260K"],
      ["Lily", "the sea", "stories260K"],
      ["Tom", "the park", "stories260K"],
      ["Tom", "the sea", "stories260K"],
    ],
  );
  for (const row of rows) {
    assert.ok(row.output!.length > 20, "the model wrote a story");
    assert.equal(row.error, "");
  }
  assert.match(stderr, /batch: 4 rows run in .* 0 failed/);
});
