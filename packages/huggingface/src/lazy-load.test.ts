import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { repoRoot } from "@aiconfig-ts/testing";

// A module hook that reports every import of the SDK on stderr.
const hooks = `export async function resolve(s, c, next) { if (s.startsWith("@huggingface/inference")) process.stderr.write("SDK LOADED\\n"); return next(s, c); }`;
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
  const idle = importIn(
    `const m = await import("@aiconfig-ts/huggingface"); m.register(); console.log("providers", m.huggingFaceProviders.length);`,
  );
  assert.match(idle, /providers 7/);
  assert.doesNotMatch(idle, /SDK LOADED/);
  const used = importIn(
    `const m = await import("@aiconfig-ts/huggingface");
     const ctx = { prompt: { name: "p", input: "" }, settings: {}, env: {}, signal: new AbortController().signal };
     await m.summarizationProvider.run({ task: "Summarization", model: "a/b", provider: "auto", args: { inputs: "x" } }, ctx).catch((e) => console.log(e.name));`,
  );
  assert.match(used, /SDK LOADED/);
  assert.match(used, /MissingAccessTokenError/);
});
