import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { repoRoot } from "@aiconfig-ts/testing";

// A module hook that reports every import of the SDK on stderr.
const hooks = `export async function resolve(s, c, next) { if (s.startsWith("@anthropic-ai/sdk")) process.stderr.write("SDK LOADED\\n"); return next(s, c); }`;
const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;

function importIn(child: string): string {
  const result = spawnSync(
    process.execPath,
    [
      "--conditions=source",
      "--import",
      "tsx",
      "--import",
      `data:text/javascript,${encodeURIComponent(register)}`,
      "--input-type=module",
      "-e",
      child,
    ],
    { cwd: repoRoot, encoding: "utf8" },
  );
  assert.equal(result.status, 0, result.stderr);
  return result.stderr + result.stdout;
}

test("importing the package and registering its providers does not load the SDK; the first run does", () => {
  const idle = importIn(`const m = await import("@aiconfig-ts/anthropic"); m.register(); console.log("provider", m.anthropicProvider.id);`);
  assert.match(idle, /provider anthropic/);
  assert.doesNotMatch(idle, /SDK LOADED/);
  const used = importIn(
    `const m = await import("@aiconfig-ts/anthropic");
     const ctx = { prompt: { name: "p", input: "" }, settings: { max_retries: 0 }, env: { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: "http://127.0.0.1:9" }, signal: new AbortController().signal, streaming: false, stream() {} };
     await m.anthropicProvider.run({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }, ctx).then(() => console.log("ran"), (e) => console.log("failed", e.name));`,
  );
  assert.match(used, /SDK LOADED/);
  assert.match(used, /failed/);
});
