/**
 * The fault: a save killed outright (SIGKILL cannot be caught, so nothing can
 * clean up at that moment) leaves its temporary file behind. 200 saves of a
 * large file are killed mid-write in child processes; the next save removes
 * every temporary they left, and the file holds one whole version.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { writeFileAtomic } from "./write-file-atomic.js";

const KILLS = 200;
const PARALLEL = 8;

test("200 SIGKILLed saves of a large file leave no temporary files after the next save, and the file is whole", async () => {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-killed-saves-"));
  const file = join(dir, "big.aiconfig.json");
  // A plain-node child (no TypeScript loader) so that 200 of them start quickly: save.ts bundled by esbuild.
  const child = join(dir, "save-forever.mjs");
  const entry = join(dir, "entry.ts");
  writeFileSync(
    entry,
    `import { writeFileAtomic } from ${JSON.stringify(join(dirname(fileURLToPath(import.meta.url)), "write-file-atomic.ts"))};
const text = JSON.stringify({ name: "big", pad: "x".repeat(2 * 1024 * 1024), n: process.pid }) + "\\n";
for (;;) writeFileAtomic(process.argv[2], text);`,
  );
  buildSync({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile: child, logLevel: "silent" });
  writeFileAtomic(file, `${JSON.stringify({ name: "big", n: 0 })}\n`);

  const temporaries = () => readdirSync(dir).filter((n) => n.endsWith(".tmp"));
  // Each child is killed while its temporary file exists, i.e. in the middle of a save.
  const killOne = () =>
    new Promise<void>((resolve) => {
      const p = spawn(process.execPath, [child, file], { stdio: "ignore" });
      const mine = `.big.aiconfig.json.${p.pid}.`;
      const poll = setInterval(() => {
        if (temporaries().some((n) => n.startsWith(mine))) {
          clearInterval(poll);
          p.kill("SIGKILL");
        }
      }, 2);
      p.on("close", () => {
        clearInterval(poll);
        resolve();
      });
    });
  // In batches; the last one alone, so that no later save has removed what it left.
  for (let i = 0; i < KILLS - 1; i += PARALLEL) await Promise.all(Array.from({ length: Math.min(PARALLEL, KILLS - 1 - i) }, killOne));
  await killOne();

  assert.ok(temporaries().length > 0, "the kills left temporaries (else this test tests nothing)");
  writeFileAtomic(file, `${JSON.stringify({ name: "big", n: "last" })}\n`);
  assert.deepEqual(temporaries(), []);
  assert.equal(JSON.parse(readFileSync(file, "utf8")).n, "last");
});
