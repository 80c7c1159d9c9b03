import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";
import { corpusFile, repoRoot } from "@aiconfig-ts/testing";

const bin = join(repoRoot, "packages", "cli", "src", "bin.ts");

function aiconfig(args: string[]) {
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", bin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, OPENAI_API_KEY: "sk-test-not-used" },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A real file of the original project with two prompts named "prompt1" (its SDK loaded it).
const file = corpusFile("python__demo__Chained-Config.json");

describe("a file that repeats a prompt name", () => {
  test("resolve loads it with one located warning on stderr saying which prompt is used", () => {
    const r = aiconfig(["resolve", file, "--prompt", "prompt1"]);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("warning:"));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(
      warnings[0]!,
      /Chained-Config\.json:24:21: prompt name "prompt1" is used again here \(first at line \d+, column \d+\): getPrompt, run and resolve use the first one/,
    );
    // The first prompt1 is the one resolved: it is on PaLM, a retired service, which says so in one line.
    assert.match(r.stderr, /^aiconfig: PaLM \(model "PaLM Chat", prompt "prompt1"\) was shut down/m);
    assert.doesNotMatch(r.stderr, /is already used/, "loading did not refuse the file");
  });

  test("validate still reports it as an error", () => {
    const r = aiconfig(["validate", file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /:24:21: prompt name "prompt1" is already used/);
  });
});
