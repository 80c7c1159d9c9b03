/**
 * The examples a new user runs first: the README's SDK example
 * (`examples/sdk.mjs`) and the multimodal chain's output path.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { modelsDir, repoRoot } from "@aiconfig-ts/testing";
import { readConfigFile } from "@aiconfig-ts/core";

test("examples/sdk.mjs prints the streamed story once, ends it with a newline, and resolves with the parameter just passed", () => {
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", join(repoRoot, "examples", "sdk.mjs")], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, AICONFIG_MODELS_DIR: modelsDir },
    timeout: 180_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const saved = /saved to (.+)\n$/.exec(r.stdout)?.[1];
  assert.ok(saved, r.stdout);
  const config = readConfigFile(saved).data as { prompts: Array<{ name: string; outputs: Array<{ data: unknown }> }> };
  const story = String(config.prompts.find((p) => p.name === "continuation")!.outputs[0]!.data);
  assert.ok(story.length > 20);
  assert.ok(r.stdout.startsWith(`${story}\n{`), "the story, once, then a newline, then the request");
  assert.equal(r.stdout.split(story).length, 2, "the story is printed once");
  const request = JSON.parse(r.stdout.slice(story.length + 1, r.stdout.lastIndexOf("saved to")));
  assert.match(request.prompt, /a little girl named Tom\./, "resolve shows the parameter passed, not the file's");
});
