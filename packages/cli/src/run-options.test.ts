/**
 * `aiconfig run`'s options, each checked on what reaches the server and what
 * is printed and saved: --with-dependencies, --no-stream, --all,
 * --output-files. The real command runs against a local server speaking
 * OpenAI's wire format (recorded replies).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { after, before, describe, test } from "node:test";
import { readFixtureChunks, readFixtureJSON, type ReplayServer, repoRoot, startReplayServer } from "@aiconfig-ts/testing";

const bin = join(repoRoot, "packages", "cli", "src", "bin.ts");
/** tsx's loader by URL, so that the command also starts from a folder outside the repository. */
const tsxLoader = import.meta.resolve("tsx");
const recorded = readFixtureJSON("openai", "openai-text.json") as { choices: Array<{ message: { content: string } }> };
const recordedText = recorded.choices[0]!.message.content;

function aiconfig(args: string[], server: ReplayServer, cwd = repoRoot) {
  const env = { ...process.env, OPENAI_API_KEY: "sk-run-options-test", OPENAI_BASE_URL: `${server.url}/v1` };
  const child = spawn(process.execPath, ["--conditions=source", "--import", tsxLoader, bin, ...args], { cwd, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
}

function writeConfig(prompts: unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-run-options-"));
  const file = join(dir, "chain.aiconfig.json");
  writeFileSync(
    file,
    `${JSON.stringify({ name: "chain", schema_version: "latest", metadata: { default_model: "gpt-4o-mini" }, prompts }, null, 2)}\n`,
  );
  return file;
}

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

describe("aiconfig run options", () => {
  test("--with-dependencies runs the prompt a chosen prompt refers to first, and hands its output on", async () => {
    const file = writeConfig([
      { name: "holiday", input: "Invent a holiday." },
      { name: "poem", input: "Write a poem about this: {{holiday.output}}" },
    ]);
    const seen = server.requests.length;
    server.reply({ json: recorded }, { json: recorded });
    const r = await aiconfig(["run", file, "--prompt", "poem", "--with-dependencies", "--no-stream"], server);
    assert.equal(r.code, 0, r.stderr);
    const bodies = server.requests.slice(seen).map((q) => JSON.stringify(q.body));
    assert.equal(bodies.length, 2);
    assert.match(bodies[0]!, /Invent a holiday/);
    assert.ok(
      bodies[1]!.includes(JSON.stringify(`Write a poem about this: ${recordedText}`).slice(1, -1)),
      "the dependency's output is in the request",
    );
    assert.match(r.stderr, /ran dependency holiday/);
  });

  test("without --with-dependencies, a prompt whose reference has no output is refused before anything is sent", async () => {
    const file = writeConfig([
      { name: "holiday", input: "Invent a holiday." },
      { name: "poem", input: "Write a poem about this: {{holiday.output}}" },
    ]);
    const seen = server.requests.length;
    const r = await aiconfig(["run", file, "--prompt", "poem"], server);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /prompt "poem" uses the output of prompt "holiday", which has no output yet: add --with-dependencies to run "holiday" first, or store its output with `aiconfig run .* --prompt holiday --save`\n$/,
    );
    assert.doesNotMatch(r.stderr, /runWithDependencies/, "the SDK's name is not the CLI's word");
    assert.equal(server.requests.length, seen);
  });

  test("--no-stream asks for a whole reply and prints it whole; streaming is the default", async () => {
    const file = writeConfig([{ name: "holiday", input: "Invent a holiday." }]);
    let seen = server.requests.length;
    server.reply({ json: recorded });
    const whole = await aiconfig(["run", file, "--no-stream"], server);
    assert.equal(whole.code, 0, whole.stderr);
    assert.notEqual(server.requests[seen]!.body.stream, true);
    assert.equal(whole.stdout, `${recordedText}\n`);
    seen = server.requests.length;
    server.reply({ sse: readFixtureChunks("openai", "openai-text.chunks.txt"), done: true });
    const streamed = await aiconfig(["run", file], server);
    assert.equal(streamed.code, 0, streamed.stderr);
    assert.equal(server.requests[seen]!.body.stream, true);
    assert.ok(streamed.stdout.length > 10 && streamed.stdout.endsWith("\n"));
  });

  test("--all runs every prompt in file order; with --prompt it is a usage mistake (exit 2)", async () => {
    const file = writeConfig([
      { name: "one", input: "First." },
      { name: "two", input: "Second." },
    ]);
    const seen = server.requests.length;
    server.reply({ json: recorded }, { json: recorded });
    const r = await aiconfig(["run", file, "--all", "--no-stream"], server);
    assert.equal(r.code, 0, r.stderr);
    const [first, second] = server.requests.slice(seen).map((q) => JSON.stringify(q.body));
    assert.ok(first!.includes("First.") && !first!.includes("Second."), first);
    assert.ok(second!.includes("Second."), second);
    const both = await aiconfig(["run", file, "--all", "--prompt", "one"], server);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /either --all or --prompt/);
  });

  test("--output-files writes audio beside the file, stores its relative file_uri, and prints the path from the current folder", async () => {
    const file = writeConfig([{ name: "speak", input: "Hello.", metadata: { model: "tts-1", parameters: {} } }]);
    const audio = Buffer.from("ID3-constructed-mp3-bytes");
    server.reply({ body: audio, headers: { "content-type": "audio/mpeg" } });
    const cwd = dirname(dirname(file));
    const r = await aiconfig(["run", file, "--output-files", "--save"], server, cwd);
    assert.equal(r.code, 0, r.stderr);
    const output = JSON.parse(readFileSync(file, "utf8")).prompts[0].outputs[0];
    assert.equal(output.data.kind, "file_uri");
    assert.ok(!output.data.value.startsWith("/"), "stored relative to the file's folder");
    const written = join(dirname(file), output.data.value);
    assert.ok(existsSync(written));
    assert.deepEqual(readFileSync(written), audio);
    assert.ok(r.stderr.includes(`audio/mpeg output: ${relative(cwd, written)}`), r.stderr);
  });
});
