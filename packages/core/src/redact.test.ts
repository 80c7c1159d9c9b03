import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  AIConfigRuntime,
  type Provider,
  ProviderError,
  type RuntimeEvent,
  redactText,
  StreamRedactor,
  secretValues,
  withoutLocalPaths,
} from "./index.js";

const KEY = "sk-test-0123456789abcdefSECRET";
const DOTENV_KEY = "hf_dotenv_token_987654321";

/**
 * A constructed provider that fails as a real service does when it echoes the
 * credential in its error (some 401 bodies do): the message holds every key
 * it was given, from the environment, the `.env` file and the settings.
 */
const echoingProvider: Provider<{ keys: string[] }> = {
  id: "echo-401",
  servesModel: (m) => m === "echo-401",
  resolve: async (ctx) => ({ keys: [String(ctx.env.ECHO_API_KEY), String(ctx.env.HF_TOKEN), String(ctx.settings.api_key)] }),
  async run(request) {
    const error = new Error(`401 Incorrect API key provided: ${request.keys.join(", ")}`);
    error.stack = `Error: ${error.message}\n    at run (${join(tmpdir(), "home", "ann", "project", "node_modules", "openai", "core.js")}:1:2)\n    at main (file:///home/ann/project/app.mjs:3:4)`;
    throw error;
  },
};

test("a provider error echoing keys (env, .env, settings) leaves them out of the message, the stored output, the events and the saved file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-redact-"));
  const file = join(dir, "leak.aiconfig.json");
  writeFileSync(join(dir, ".env"), `HF_TOKEN=${DOTENV_KEY}\n`);
  writeFileSync(
    file,
    JSON.stringify({
      name: "leak",
      schema_version: "latest",
      metadata: { models: { "echo-401": { api_key: "settings-key-abcdefgh" } } },
      prompts: [{ name: "ask", input: "hi", metadata: { model: "echo-401" } }],
    }),
  );
  process.env.ECHO_API_KEY = KEY;
  try {
    const runtime = AIConfigRuntime.load(file);
    runtime.registry.register(echoingProvider, ["echo-401"]);
    const events: RuntimeEvent[] = [];
    runtime.onEvent((e) => events.push(e));
    const error = await runtime.run("ask").then(
      () => assert.fail("the run should fail"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ProviderError);
    runtime.save();
    const saved = readFileSync(file, "utf8");
    // The settings key is the file's own (validate flags it); it must not spread into outputs.
    const outputs = JSON.stringify(JSON.parse(saved).prompts[0].outputs);
    const seen = [
      error.message,
      saved.replace("settings-key-abcdefgh", ""),
      outputs,
      JSON.stringify(events, (_k, v) => (v instanceof Error ? v.message : v)),
    ].join("\n");
    for (const secret of [KEY, DOTENV_KEY, "settings-key-abcdefgh"]) assert.ok(!seen.includes(secret), `${secret} leaked`);
    assert.match(error.message, /401 Incorrect API key provided: \[redacted\]/);
    const stored = JSON.parse(saved).prompts[0].outputs[0];
    assert.equal(stored.output_type, "error");
    assert.ok(!stored.traceback.join("\n").includes(tmpdir()), "no absolute local path in the stored traceback");
    assert.ok(!stored.traceback.join("\n").includes("/home/ann"), "no file: URL path in the stored traceback");
    assert.match(stored.traceback.join("\n"), /\(node_modules\/openai\/core\.js:1:2\)/);
  } finally {
    delete process.env.ECHO_API_KEY;
  }
});

test("secret values: credential-like env names and settings at any depth, not max_tokens", () => {
  const secrets = secretValues(
    { OPENAI_API_KEY: "sk-aaaaaaaaaa", HOME: "/home/someone", SHORT_KEY: "abc", MAX_TOKENS: "123456789" },
    { max_tokens: 100, headers: { Authorization: "Bearer tok-bbbbbbbbbb" }, apiKey: "ccccccccccc" },
  );
  assert.deepEqual(new Set(secrets), new Set(["sk-aaaaaaaaaa", "Bearer tok-bbbbbbbbbb", "tok-bbbbbbbbbb", "ccccccccccc", "123456789"]));
  assert.equal(redactText(`k=${encodeURIComponent("a/b+c=d/xyz")}`, ["a/b+c=d/xyz"]), "k=[redacted]");
});

test("URLs keep their paths; local paths are shortened", () => {
  assert.equal(withoutLocalPaths("GET https://api.openai.com/v1/chat failed"), "GET https://api.openai.com/v1/chat failed");
  assert.equal(withoutLocalPaths("at x (/home/u/p/src/a.ts:1:2)"), "at x (a.ts:1:2)");
  assert.equal(withoutLocalPaths("C:\\Users\\u\\node_modules\\x\\y.js"), "node_modules/x/y.js");
});

test("a streamed key split across pieces is replaced: the tail that could start it is held until the next piece or the end", () => {
  const redactor = new StreamRedactor([KEY]);
  const pieces = ["the key is sk-te", "st-0123456789ab", `cdefSECRET and ${KEY.slice(0, 6)}`];
  const sent = pieces.map((p) => redactor.push(p));
  assert.deepEqual(sent, ["the key is ", "", "[redacted] and "]);
  // the stream ended on what only looked like the start of a key: sent as is.
  assert.equal(redactor.end(), KEY.slice(0, 6));
  assert.equal(redactor.end(), "");
  assert.equal(new StreamRedactor([]).push("sk-te"), "sk-te");
});

test("a streamed key overlapping the start of a second one is replaced whole", () => {
  const secret = "abcabcabc1";
  const redactor = new StreamRedactor([secret]);
  const out = redactor.push(`x${secret}abcabc`) + redactor.push("abc1 y") + redactor.end();
  assert.equal(out, "x[redacted][redacted] y");
});
