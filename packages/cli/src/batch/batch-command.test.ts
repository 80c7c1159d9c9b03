import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type OpenAICompatibleMock, startOpenAICompatibleMock } from "@aiconfig-ts/testing";
import { startAiconfig } from "./batch-cli.test.helper.js";
import { parse } from "csv-parse/sync";

/** Starts the real `aiconfig` command against a mock's base URL. */
const start = (args: string[], mock: OpenAICompatibleMock) =>
  startAiconfig(args, { OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: mock.baseURL });

const aiconfig = (args: string[], mock: OpenAICompatibleMock) => start(args, mock).done;

/** A folder with an aiconfig whose prompt `ask` sends `Q {{q}}` (and `{{extra}}` when the row has it) to gpt-4o-mini. */
function workspace(input = "Q {{q}}"): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-batch-"));
  const file = join(dir, "eval.aiconfig.json");
  writeFileSync(
    file,
    JSON.stringify({
      name: "batch test",
      schema_version: "latest",
      metadata: { default_model: "gpt-4o-mini", models: { "gpt-4o-mini": { model: "gpt-4o-mini" } } },
      prompts: [{ name: "ask", input, metadata: { model: "gpt-4o-mini" } }],
    }),
  );
  return { dir, file };
}

const jsonl = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe("aiconfig batch", () => {
  let mock: OpenAICompatibleMock;
  before(async () => {
    mock = await startOpenAICompatibleMock();
  });
  after(() => mock.close());

  test("--grid runs the cartesian product, in input order in the results file", async () => {
    const { dir, file } = workspace("{{animal}} in {{color}}");
    const out = join(dir, "grid.jsonl");
    const r = await aiconfig(
      ["batch", file, "--prompt", "ask", "--grid", "animal=cat,dog", "--grid", "color=red,green,blue", "--out", out],
      mock,
    );
    assert.equal(r.code, 0, r.stderr);
    const rows = jsonl(out);
    assert.deepEqual(
      rows.map((row) => [row.index, row.parameters.animal, row.parameters.color, row.output]),
      [
        [0, "cat", "red", "echo: cat in red"],
        [1, "cat", "green", "echo: cat in green"],
        [2, "cat", "blue", "echo: cat in blue"],
        [3, "dog", "red", "echo: dog in red"],
        [4, "dog", "green", "echo: dog in green"],
        [5, "dog", "blue", "echo: dog in blue"],
      ],
    );
    assert.equal(rows[0].outputs[0].output_type, "execute_result");
    assert.ok(rows[0].usage.totalTokens > 0);
    assert.match(r.stderr, /batch: 6 rows run in .*0 failed/);
    assert.equal(existsSync(`${out}.journal.jsonl`), false, "the journal is removed once the results file is written");
  });

  test("CSV with quotes, commas and newlines in fields goes in and comes out intact", async () => {
    const { dir, file } = workspace();
    const input = join(dir, "rows.csv");
    writeFileSync(input, 'q,note\n"say ""hi"", then stop",plain\n"two\nlines, one field","x,y"\nplain,"é ✓"\n');
    const out = join(dir, "out.csv");
    const r = await aiconfig(["batch", file, "--prompt", "ask", "--input", input, "--out", out], mock);
    assert.equal(r.code, 0, r.stderr);
    const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      rows.map((row) => [row.index, row.q, row.note, row.output]),
      [
        ["0", 'say "hi", then stop', "plain", 'echo: Q say "hi", then stop'],
        ["1", "two\nlines, one field", "x,y", "echo: Q two\nlines, one field"],
        ["2", "plain", "é ✓", "echo: Q plain"],
      ],
    );
    assert.equal(JSON.parse(rows[0]!.outputs!)[0].data, 'echo: Q say "hi", then stop');
  });

  test("--expect: equals, contains, regex, json per row, with the pass rate in the summary (exit 1 when one fails)", async () => {
    const { dir, file } = workspace();
    const input = join(dir, "rows.jsonl");
    writeFileSync(
      input,
      [
        { q: "a", want: "echo: Q a", part: "Q a", re: "^echo" },
        { q: "b", want: "wrong", part: "Q b", re: "^echo" },
        { q: "c", want: "echo: Q c", part: "zzz", re: "/^ECHO/i" },
      ]
        .map((row) => JSON.stringify(row))
        .join("\n"),
    );
    const out = join(dir, "out.jsonl");
    const r = await aiconfig(
      [
        "batch",
        file,
        "--prompt",
        "ask",
        "--input",
        input,
        "--expect",
        "want",
        "--expect",
        "part:contains",
        "--expect",
        "re:regex",
        "--out",
        out,
      ],
      mock,
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /expect: 1\/3 rows passed \(33\.3%\)/);
    const rows = jsonl(out);
    assert.deepEqual(
      rows.map((row) => [row.pass, row.expect.map((c: { pass: boolean }) => c.pass)]),
      [
        [true, [true, true, true]],
        [false, [false, true, true]],
        [false, [true, false, true]],
      ],
    );
    const json = await aiconfig(["batch", file, "--prompt", "ask", "--grid", "q=1", "--expect", ":json"], mock);
    assert.equal(json.code, 1, "echo: Q 1 is not JSON");
    assert.match(json.stdout, /output is not JSON/);
  });

  test("--resume with --expect: the pass rate and the exit code are the whole results file's (JSON Lines or CSV), not only the rows run this time", async () => {
    for (const format of ["jsonl", "csv"]) {
      const { dir, file } = workspace();
      const input = join(dir, "rows.jsonl");
      const rows = [
        { q: "a", want: "echo: Q a" },
        { q: "b", want: "wrong" },
        { q: "c", want: "echo: Q c" },
      ];
      const write = (n: number) =>
        writeFileSync(
          input,
          rows
            .slice(0, n)
            .map((row) => JSON.stringify(row))
            .join("\n"),
        );
      const out = join(dir, `out.${format}`);
      const args = ["batch", file, "--prompt", "ask", "--input", input, "--expect", "want", "--out", out];
      write(2);
      const first = await aiconfig(args, mock);
      assert.equal(first.code, 1, first.stderr);
      assert.match(first.stderr, /expect: 1\/2 rows passed \(50\.0%\)\n/);
      write(3);
      const resumed = await aiconfig([...args, "--resume"], mock);
      assert.match(resumed.stderr, /batch: 1 rows run .*2 already done/);
      assert.match(resumed.stderr, /results file: 3 rows, 0 failed/);
      assert.match(resumed.stderr, /expect: 2\/3 rows passed \(66\.7%\) in the results file/);
      assert.equal(resumed.code, 1, "row b's check still fails in the results file");
      if (format === "csv") {
        const kept = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
        assert.deepEqual(
          kept.map((row) => [row.pass, row.total_tokens !== ""]),
          [
            ["true", true],
            ["false", true],
            ["true", true],
          ],
          "a finished CSV's checks and usage survive --resume",
        );
      }
    }
  });

  test("a journal left by a killed batch is not overwritten without --resume", async () => {
    const { dir, file } = workspace();
    const out = join(dir, "out.jsonl");
    writeFileSync(`${out}.journal.jsonl`, "");
    const r = await aiconfig(["batch", file, "--prompt", "ask", "--grid", "q=1", "--out", out], mock);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /did not finish: add --resume to continue it/);
  });
});

describe("aiconfig batch under rate limits", () => {
  test("a 429 storm is retried: no row fails, none is answered twice", async () => {
    const mock = await startOpenAICompatibleMock({ rejectFirst: 40, stormRetryAfterMs: 10 });
    try {
      const { dir, file } = workspace();
      const out = join(dir, "out.jsonl");
      const r = await aiconfig(
        ["batch", file, "--prompt", "ask", "--grid", "q=1,2,3,4,5,6,7,8,9,10,11,12", "--concurrency", "6", "--out", out],
        mock,
      );
      assert.equal(r.code, 0, r.stderr);
      const rows = jsonl(out);
      assert.equal(rows.length, 12);
      assert.ok(rows.every((row) => !row.error && row.output === `echo: Q ${row.parameters.q}`));
      assert.equal(mock.stats.rejected, 40);
      assert.equal(mock.stats.ok, 12);
      assert.match(r.stderr, /40 rate-limited replies retried/);
    } finally {
      await mock.close();
    }
  });

  test("--resume after SIGKILL: no finished row is run again, none is lost or duplicated", async () => {
    const mock = await startOpenAICompatibleMock({ latencyMs: 120 });
    try {
      const { dir, file } = workspace();
      const out = join(dir, "out.jsonl");
      const journal = `${out}.journal.jsonl`;
      const values = Array.from({ length: 30 }, (_, i) => String(i)).join(",");
      const first = start(["batch", file, "--prompt", "ask", "--grid", `q=${values}`, "--concurrency", "3", "--out", out], mock);
      while (!existsSync(journal) || readFileSync(journal, "utf8").split("\n").length < 10) await new Promise((r) => setTimeout(r, 20));
      first.kill("SIGKILL");
      await first.done;
      const finishedBeforeKill = jsonl(journal).map((row) => row.output.replace(/^echo: /, ""));
      assert.ok(finishedBeforeKill.length >= 9 && finishedBeforeKill.length < 30);
      const second = await aiconfig(
        ["batch", file, "--prompt", "ask", "--grid", `q=${values}`, "--concurrency", "3", "--out", out, "--resume"],
        mock,
      );
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stderr, new RegExp(`resuming .*: ${finishedBeforeKill.length} rows already done`));
      const rows = jsonl(out);
      assert.deepEqual(
        rows.map((row) => row.index),
        Array.from({ length: 30 }, (_, i) => i),
      );
      for (const text of finishedBeforeKill) assert.equal(mock.answered.get(text), 1, `${text} was run again`);
      assert.equal(existsSync(journal), false);
    } finally {
      await mock.close();
    }
  });

  test("a changed prompt is not mistaken for done on --resume of a finished batch", async () => {
    const mock = await startOpenAICompatibleMock();
    try {
      const { dir, file } = workspace();
      const out = join(dir, "out.csv");
      assert.equal((await aiconfig(["batch", file, "--prompt", "ask", "--grid", "q=1,2", "--out", out], mock)).code, 0);
      const again = await aiconfig(["batch", file, "--prompt", "ask", "--grid", "q=1,2,3", "--out", out, "--resume"], mock);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(mock.stats.ok, 3, "only the new row ran");
      writeFileSync(file, readFileSync(file, "utf8").replace("Q {{q}}", "Question {{q}}"));
      const changed = await aiconfig(["batch", file, "--prompt", "ask", "--grid", "q=1,2,3", "--out", out, "--resume"], mock);
      assert.equal(changed.code, 0, changed.stderr);
      assert.equal(mock.stats.ok, 6);
      const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
      assert.deepEqual(
        rows.map((row) => row.output),
        ["echo: Question 1", "echo: Question 2", "echo: Question 3"],
      );
    } finally {
      await mock.close();
    }
  });
});
