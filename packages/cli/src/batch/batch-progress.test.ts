// Progress of `aiconfig batch` on stderr: plain periodic lines when stderr is not a terminal (a log,
// a CI job), a progress bar when it is (run under util-linux's `script`, which gives the command a
// pseudo-terminal). Against the local OpenAI-compatible mock, answering slowly so the batch lasts.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type OpenAICompatibleMock, repoRoot, startOpenAICompatibleMock } from "@aiconfig-ts/testing";
import { aiconfigWorkspace, startAiconfig } from "./batch-cli.test.helper.js";

const workspace = () => aiconfigWorkspace();

describe("aiconfig batch progress", () => {
  let mock: OpenAICompatibleMock;
  before(async () => {
    mock = await startOpenAICompatibleMock({ latencyMs: 250 });
  });
  after(() => mock.close());
  const env = () => ({ OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: mock.baseURL, AICONFIG_PROGRESS_MS: "200" });
  const args = (file: string, out: string) => [
    "batch",
    file,
    "--prompt",
    "ask",
    "--grid",
    "q=1,2,3,4,5,6",
    "--concurrency",
    "1",
    "--out",
    out,
  ];

  test("not a terminal: a plain line every interval (done/total, rows per second, ETA, tokens, errors), no escape codes, then the summary", async () => {
    const { file, out } = workspace();
    const r = await startAiconfig(args(file, out), env()).done;
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.split("\n").filter((line) => /^batch: \d+\/6 rows, /.test(line));
    assert.ok(lines.length >= 2, r.stderr);
    for (const line of lines) assert.match(line, /^batch: \d\/6 rows, \d+\.\d rows\/s, ETA (\?|\d+ s|\d+ min), \d+ tokens, 0 errors$/);
    assert.doesNotMatch(r.stderr, /\x1b\[/, "no terminal escape codes in a log");
    assert.match(r.stderr, /batch: 6 rows run in .*0 failed/);
  });

  test("a terminal: a progress bar with done/total, rows per second, ETA, tokens and errors", async () => {
    const { file, out } = workspace();
    const bin = join(repoRoot, "packages", "cli", "src", "bin.ts");
    const command = [process.execPath, "--conditions=source", "--import", "tsx", bin, ...args(file, out)]
      .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
      .join(" ");
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: repoRoot, env: { ...process.env, ...env() } });
    let seen = "";
    child.stdout.on("data", (d) => {
      seen += d;
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.equal(code, 0, seen);
    assert.match(seen, /[░█]+ \d\/6 \| \d+\.\d rows\/s \| ETA (\?|\d+ s|\d+ min) \| \d+ tokens \| 0 errors/);
    assert.doesNotMatch(seen, /^batch: \d\/6 rows, /m, "no plain lines in a terminal");
    assert.match(seen, /batch: 6 rows run in .*0 failed/);
  });
});
