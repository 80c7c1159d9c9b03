/**
 * The attack of issue 9 through the real `aiconfig` command: a file names a
 * local server as `base_url`; the user's `OPENAI_API_KEY` must never reach it
 * unless the user allows it with `--allow-endpoint HOST`. Likewise a file's
 * image attachment on a local server is not fetched (Gemini sends attachment
 * bytes inline, so core would fetch it from this process) unless the user
 * allows the host: the server then also serves the real image `cheetah.png`.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { fixture, type ReplayServer, readFixtureJSON, repoRoot, startReplayServer } from "@aiconfig-ts/testing";

const bin = join(repoRoot, "packages", "cli", "src", "bin.ts");
const KEY = "sk-shell-key-0123456789abcdef";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.fallback({ json: readFixtureJSON("openai", "openai-text.json") });
});

function fileChoosingEndpoint(): string {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-allow-endpoint-"));
  const file = join(dir, "chosen.aiconfig.json");
  const prompt = { name: "p", input: "hi", metadata: { model: { name: "gpt-4o-mini", settings: { base_url: `${server.url}/v1` } } } };
  writeFileSync(file, JSON.stringify({ name: "t", schema_version: "latest", metadata: {}, prompts: [prompt] }));
  return file;
}

async function aiconfig(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  // Gemini's endpoint is the user's own choice (their environment): its key may go there.
  const gemini = { GEMINI_API_KEY: "test-key", GOOGLE_API_KEY: "", GOOGLE_GEMINI_BASE_URL: server.url };
  const env = { ...process.env, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: "", AICONFIG_ALLOW_ENDPOINTS: "", AICONFIG_DEBUG: "", ...gemini };
  // Not spawnSync: the local server runs in this process and must answer while the CLI runs.
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", bin, ...args], { cwd: repoRoot, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { status, stdout, stderr };
}

test("attack: base_url in the file does not receive the shell's OPENAI_API_KEY; the error says how to allow it", async () => {
  const result = await aiconfig(["run", fileChoosingEndpoint()]);
  assert.equal(result.status, 1);
  assert.equal(server.requests.length, 0, "the server the file chose saw nothing");
  const host = server.url.slice("http://".length);
  assert.match(result.stderr, new RegExp(`--allow-endpoint ${host.replace(/\./g, "\\.")}`));
  assert.ok(!result.stderr.includes(KEY));
});

test("--allow-endpoint HOST lets the key go to the server the file chose", async () => {
  const host = server.url.slice("http://".length);
  const result = await aiconfig(["run", fileChoosingEndpoint(), "--no-stream", "--allow-endpoint", host]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(server.requests[0]?.headers.authorization, `Bearer ${KEY}`);
});

const IMAGE = readFileSync(fixture("huggingface", "cheetah.png"));

/** A file whose Gemini prompt attaches the image on the replay server; the server answers Gemini with a recorded reply. */
function fileWithImageUrl(): { file: string; url: string } {
  server.fallback((req, res) => {
    if (req.path === "/cheetah.png") res.writeHead(200, { "content-type": "image/png" }).end(IMAGE);
    else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(readFixtureJSON("google", "google-text.json")));
  });
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-attachment-url-"));
  const file = join(dir, "look.aiconfig.json");
  const url = `${server.url}/cheetah.png`;
  const prompt = {
    name: "look",
    input: { data: "What animal is this?", attachments: [{ data: { kind: "file_uri", value: url }, mime_type: "image/png" }] },
    metadata: { model: "gemini-2.5-flash" },
  };
  writeFileSync(file, JSON.stringify({ name: "t", schema_version: "latest", metadata: {}, prompts: [prompt] }));
  return { file, url };
}

test("attack: an attachment URL on 127.0.0.1 is not fetched: one line naming it, why and how to allow it; nothing reaches Gemini", async () => {
  const { file, url } = fileWithImageUrl();
  const result = await aiconfig(["run", file, "--no-stream"]);
  assert.equal(result.status, 1);
  assert.deepEqual(server.requests, [], "neither the image nor Gemini was asked");
  const host = server.url.slice("http://".length).replace(/\./g, "\\.");
  const errors = result.stderr.split("\n").filter((line) => line.startsWith("aiconfig: "));
  assert.equal(errors.length, 1, result.stderr);
  assert.match(
    errors[0]!,
    new RegExp(`^aiconfig: cannot fetch attachment ${url.replace(/\./g, "\\.")}: its host 127\\.0\\.0\\.1 is a loopback address`),
  );
  assert.match(
    errors[0]!,
    new RegExp(`attach it by path, or, if you trust ${host}, allow it with --allow-endpoint ${host} \\(or the allowHosts option\\)$`),
  );
});

test("--allow-endpoint HOST lets the attachment be fetched from it: Gemini receives the image's bytes inline", async () => {
  const { file } = fileWithImageUrl();
  const result = await aiconfig(["run", file, "--no-stream", "--allow-endpoint", "127.0.0.1"]);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(
    server.requests.map((r) => r.path.split("?")[0]),
    ["/cheetah.png", "/v1beta/models/gemini-2.5-flash:generateContent"],
  );
  const parts = server.requests[1]!.body.contents[0].parts as Array<{ inlineData?: { data: string; mimeType: string } }>;
  assert.deepEqual(
    parts.find((p) => p.inlineData),
    { inlineData: { mimeType: "image/png", data: IMAGE.toString("base64") } },
  );
});
