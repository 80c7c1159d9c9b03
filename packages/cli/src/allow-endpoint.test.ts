/**
 * The attack of issue 9 through the real `aiconfig` command: a file names a
 * local server as `base_url`; the user's `OPENAI_API_KEY` must never reach it
 * unless the user allows it with `--allow-endpoint HOST`.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { type ReplayServer, readFixtureJSON, repoRoot, startReplayServer } from "@aiconfig-ts/testing";

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
  const env = { ...process.env, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: "", AICONFIG_ALLOW_ENDPOINTS: "", AICONFIG_DEBUG: "" };
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
