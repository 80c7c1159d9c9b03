/**
 * The CLI under attack and faults: a server that echoes the key, a later
 * prompt that fails during `run --save`, Ctrl+C while the provider never
 * answers, a closed stdout pipe, a prompt name carrying terminal escapes.
 * Each runs the real `aiconfig` command (from sources) against a local HTTP
 * server speaking OpenAI's wire format.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { readFixtureChunks, readFixtureJSON, type ReplayServer, repoRoot, startReplayServer } from "@aiconfig-ts/testing";

const bin = join(repoRoot, "packages", "cli", "src", "bin.ts");
const KEY = "sk-attack-test-0123456789abcdef";

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `aiconfig ARGS` with the OpenAI key and base URL pointing at the local server (both from the trusted environment). */
function start(args: string[], server: ReplayServer, shell?: string): { child: ChildProcess; done: Promise<Finished> } {
  const env = { ...process.env, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1`, AICONFIG_DEBUG: "" };
  const argv = ["--conditions=source", "--import", "tsx", bin, ...args];
  const child = shell
    ? spawn("bash", ["-o", "pipefail", "-c", `"${process.execPath}" ${argv.map((a) => `'${a}'`).join(" ")} ${shell}`], {
        cwd: repoRoot,
        env,
      })
    : spawn(process.execPath, argv, { cwd: repoRoot, env });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<Finished>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

function writeConfig(prompts: Array<{ name: string; input: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-cli-faults-"));
  const file = join(dir, "chat.aiconfig.json");
  const config = {
    name: "faults",
    schema_version: "latest",
    metadata: { models: { "gpt-4o-mini": { model: "gpt-4o-mini" } }, default_model: "gpt-4o-mini" },
    prompts,
  };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/** A 401 whose body echoes the Authorization header, as some servers do. */
const echoKey401 = (req: { headers: Record<string, unknown> }, res: import("node:http").ServerResponse) => {
  res.writeHead(401, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}`, type: "invalid_request_error" },
    }),
  );
};

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

describe("aiconfig run: attacks and faults", () => {
  test("a 401 echoing the key: neither the terminal nor the saved file holds it; earlier prompts' outputs and the error output are saved; exit 1", async () => {
    const file = writeConfig([
      { name: "first", input: "Invent a holiday." },
      { name: "second", input: "And another." },
    ]);
    server.reply({ json: readFixtureJSON("openai", "openai-text.json") }, echoKey401);
    const r = await start(["run", file, "--no-stream", "--save"], server).done;
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Incorrect API key provided: Bearer \[redacted\]/);
    const saved = readFileSync(file, "utf8");
    for (const text of [r.stdout, r.stderr, saved]) assert.ok(!text.includes(KEY), "the key leaked");
    const config = JSON.parse(saved);
    assert.equal(config.prompts[0].outputs[0].output_type, "execute_result", "the finished prompt's output is kept");
    assert.equal(config.prompts[1].outputs[0].output_type, "error", "the failed prompt's error output is stored");
    assert.ok(!config.prompts[1].outputs[0].traceback.join("\n").includes(repoRoot), "no absolute local paths in the traceback");
  });

  test("a streamed reply echoing the key, split across chunks, is printed with the key redacted", async () => {
    const file = writeConfig([{ name: "echo", input: "Repeat my key." }]);
    // Constructed chunks in OpenAI's stream format: the key arrives in two pieces.
    const chunk = (content: string, finish: string | null = null) =>
      JSON.stringify({
        id: "chatcmpl-constructed",
        object: "chat.completion.chunk",
        created: 1,
        model: "gpt-4o-mini",
        choices: [{ index: 0, delta: { content }, finish_reason: finish }],
      });
    server.reply({
      sse: [chunk("Your key is "), chunk(KEY.slice(0, 12)), chunk(`${KEY.slice(12)}, thanks.`), chunk("", "stop")],
      done: true,
    });
    const r = await start(["run", file], server).done;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(KEY), "the key reached the terminal");
    assert.equal(r.stdout, "Your key is [redacted], thanks.\n");
  });

  test("Ctrl+C while the server never answers: exits with 130 (the abort is not waited for); a second Ctrl+C exits at once", async () => {
    for (const presses of [1, 2]) {
      const file = writeConfig([{ name: "hangs", input: "Hello?" }]);
      const before = readFileSync(file, "utf8");
      const seen = server.requests.length;
      server.reply({ hang: true });
      const { child, done } = start(["run", file, "--save"], server);
      while (server.requests.length === seen) await new Promise((r) => setTimeout(r, 50));
      for (let i = 0; i < presses; i++) child.kill("SIGINT");
      const r = await done;
      assert.equal(r.code, 130, r.stderr);
      assert.equal(readFileSync(file, "utf8"), before, "a cancelled run keeps the file as it was");
    }
  });

  test("`aiconfig run ... | head -c 1` exits quietly when the pipe closes (no EPIPE crash)", async () => {
    const file = writeConfig([{ name: "story", input: "Invent a holiday." }]);
    const chunks = readFixtureChunks("openai", "openai-text.chunks.txt");
    server.reply({ sse: [...chunks, ...chunks.slice(1, -1), ...chunks.slice(1, -1)], done: true, delayMs: 20 });
    const r = await start(["run", file], server, "| head -c 1").done;
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|\n\s+at /);
  });

  test("a prompt name holding terminal escape sequences is printed escaped in progress lines", async () => {
    const name = "evil\u001b]0;pwned\u0007\u001b[2J";
    const file = writeConfig([{ name, input: "Invent a holiday." }]);
    server.reply({ json: readFixtureJSON("openai", "openai-text.json") });
    const r = await start(["run", file, "--no-stream"], server).done;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stderr.includes("\u001b]0;") && !r.stderr.includes("\u001b[2J"), "no raw escape sequence reaches the terminal");
    assert.match(r.stderr, /▶ evil\\x1b\]0;pwned\\x07\\x1b\[2J/);
  });
});

describe("aiconfig validate: keys written in a file", () => {
  test("an api_key written in the file gets a located warning line; the exit code stays 0", async () => {
    const file = writeConfig([{ name: "ask", input: "Hi" }]);
    const config = JSON.parse(readFileSync(file, "utf8"));
    config.metadata.models["gpt-4o-mini"].api_key = "sk-written-in-the-file-123";
    writeFileSync(file, JSON.stringify(config, null, 2));
    const r = await start(["validate", file], server).done;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /chat\.aiconfig\.json:\d+:\d+: warning: a key is written in the file \(api_key\).*\(at \/metadata\/models\/gpt-4o-mini\/api_key\)/,
    );
  });
});
