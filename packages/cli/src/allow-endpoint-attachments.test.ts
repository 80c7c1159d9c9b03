/**
 * Through the real `aiconfig` command: a file's image attachment on
 * 127.0.0.1 is not fetched (Gemini sends attachment bytes inline, so core
 * would fetch it from this process) unless the user allows the host with
 * `--allow-endpoint HOST`. The replay server answers Gemini with a recorded
 * reply and serves the real image `cheetah.png` at `/cheetah.png`.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { fixture, type ReplayServer, readFixtureJSON, repoRoot, startReplayServer } from "@aiconfig-ts/testing";

const bin = join(repoRoot, "packages", "cli", "src", "bin.ts");
const IMAGE = readFileSync(fixture("huggingface", "cheetah.png"));

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.fallback((req, res) => {
    if (req.path === "/cheetah.png") res.writeHead(200, { "content-type": "image/png" }).end(IMAGE);
    else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(readFixtureJSON("google", "google-text.json")));
  });
});

function fileWithImageUrl(): { file: string; url: string } {
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

async function aiconfig(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  // The user's own environment chooses the Gemini endpoint (the replay server): a key may go there.
  const env = {
    ...process.env,
    GEMINI_API_KEY: "test-key",
    GOOGLE_API_KEY: "",
    GOOGLE_GEMINI_BASE_URL: server.url,
    AICONFIG_ALLOW_ENDPOINTS: "",
  };
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", bin, ...args], { cwd: repoRoot, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { status, stdout, stderr };
}

test("attack: an attachment URL on 127.0.0.1 is not fetched: one line naming it, why and how to allow it; nothing reaches Gemini", async () => {
  const { file, url } = fileWithImageUrl();
  const result = await aiconfig(["run", file, "--no-stream"]);
  assert.equal(result.status, 1);
  assert.deepEqual(server.requests, [], "neither the image nor Gemini was asked");
  const host = server.url.slice("http://".length);
  assert.match(
    result.stderr,
    new RegExp(`cannot fetch attachment ${url.replace(/\./g, "\\.")}: its host 127\\.0\\.0\\.1 is a loopback address`),
  );
  assert.match(
    result.stderr,
    new RegExp(`attach it by path, or, if you trust ${host.replace(/\./g, "\\.")}, allow it with --allow-endpoint`),
  );
  const errors = result.stderr.split("\n").filter((line) => line.startsWith("aiconfig: "));
  assert.equal(errors.length, 1, result.stderr);
  assert.match(errors[0]!, /^aiconfig: cannot fetch attachment .* \(or the allowHosts option\)$/);
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
