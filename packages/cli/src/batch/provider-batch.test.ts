// `aiconfig batch --via openai-batch` against a local server following the documented shapes of
// OpenAI's Batch API (constructed replies, no recorded ones exist: https://platform.openai.com/docs/api-reference/batch).
import assert from "node:assert/strict";
import { existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type RecordedRequest, startReplayServer } from "@aiconfig-ts/testing";
import { aiconfigWorkspace, startAiconfig } from "./batch-cli.test.helper.js";

const aiconfig = (args: string[], env: Record<string, string>) => startAiconfig(args, env).done;

/** The records of a JSON Lines results file. */
const jsonl = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

/** A folder with an aiconfig of these models and prompts (constructed). */
const workspace = (models: Record<string, object>, prompts: object[]) => aiconfigWorkspace(models, prompts);

/**
 * A Batch API: files, batches (in progress on the first poll, completed on the next), results (row-1 answered 400);
 * and chat completions one by one (for dependencies run here), echoing the last message, `topic b` answered 400.
 */
async function batchServer() {
  const server = await startReplayServer();
  let uploaded: { custom_id: string; body: { model: string; messages: { role: string; content: string }[] } }[] = [];
  let polls = 0;
  const json = (res: import("node:http").ServerResponse, body: unknown) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  server.fallback((req: RecordedRequest, res) => {
    if (req.method === "POST" && req.path === "/v1/chat/completions") {
      const content = req.body.messages.at(-1).content as string;
      if (content === "topic b") {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "Invalid 'messages'", type: "invalid_request_error" } }));
        return;
      }
      return json(res, {
        id: "chatcmpl-dep",
        object: "chat.completion",
        created: 1,
        model: req.body.model,
        choices: [
          { index: 0, message: { role: "assistant", content: `echo: ${content}`, refusal: null }, finish_reason: "stop", logprobs: null },
        ],
        usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 },
      });
    }
    if (req.method === "POST" && req.path === "/v1/files") {
      uploaded = req.raw
        .toString("utf8")
        .split("\n")
        .filter((line) => line.startsWith('{"custom_id"'))
        .map((line) => JSON.parse(line));
      return json(res, {
        id: "file-in",
        object: "file",
        bytes: req.raw.length,
        created_at: 1,
        filename: "aiconfig-batch.jsonl",
        purpose: "batch",
        status: "processed",
      });
    }
    const batch = (status: string) => ({
      id: "batch_1",
      object: "batch",
      endpoint: "/v1/chat/completions",
      input_file_id: "file-in",
      completion_window: "24h",
      status,
      output_file_id: status === "completed" ? "file-out" : null,
      error_file_id: null,
      created_at: 1,
      request_counts: {
        total: uploaded.length,
        completed: status === "completed" ? uploaded.length - 1 : 0,
        failed: status === "completed" ? 1 : 0,
      },
    });
    if (req.method === "POST" && req.path === "/v1/batches") return json(res, batch("validating"));
    if (req.method === "GET" && req.path === "/v1/batches/batch_1") return json(res, batch(++polls < 2 ? "in_progress" : "completed"));
    if (req.method === "GET" && req.path === "/v1/files/file-out/content") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(
        uploaded
          .map((line, i) =>
            JSON.stringify({
              id: `batch_req_${i}`,
              custom_id: line.custom_id,
              response:
                line.custom_id === "row-1"
                  ? { status_code: 400, request_id: "r", body: { error: { message: "Invalid 'messages'", type: "invalid_request_error" } } }
                  : {
                      status_code: 200,
                      request_id: "r",
                      body: {
                        id: `chatcmpl-${i}`,
                        object: "chat.completion",
                        created: 1,
                        model: line.body.model,
                        choices: [
                          {
                            index: 0,
                            message: { role: "assistant", content: `echo: ${line.body.messages.at(-1)!.content}`, refusal: null },
                            finish_reason: "stop",
                            logprobs: null,
                          },
                        ],
                        usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
                      },
                    },
              error: null,
            }),
          )
          .join("\n"),
      );
      return;
    }
    res.writeHead(404).end();
  });
  return { server, uploaded: () => uploaded };
}

test("--via openai-batch uploads the rows' requests, polls the batch, maps the results back to rows in order; a failed request is that row's error", async () => {
  const { server, uploaded } = await batchServer();
  try {
    const { dir, file } = workspace({ "gpt-4o-mini": { model: "gpt-4o-mini", temperature: 0 } }, [
      { name: "ask", input: "Q {{q}}", metadata: { model: "gpt-4o-mini" } },
    ]);
    const out = join(dir, "out.jsonl");
    const env = { OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: `${server.url}/v1`, AICONFIG_BATCH_POLL_MS: "20" };
    const r = await aiconfig(["batch", file, "--prompt", "ask", "--grid", "q=a,b,c", "--via", "openai-batch", "--out", out], env);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      uploaded().map((line) => [line.custom_id, line.body.model, line.body.messages.at(-1)!.content]),
      [
        ["row-0", "gpt-4o-mini", "Q a"],
        ["row-1", "gpt-4o-mini", "Q b"],
        ["row-2", "gpt-4o-mini", "Q c"],
      ],
    );
    const batchCreate = server.requests.find((q) => q.path === "/v1/batches");
    assert.equal(batchCreate?.body.endpoint, "/v1/chat/completions");
    assert.equal(batchCreate?.body.completion_window, "24h");
    const rows = jsonl(out);
    assert.deepEqual(
      rows.map((row) => [row.index, row.output, row.error?.message ?? null]),
      [
        [0, "echo: Q a", null],
        [1, "", "Invalid 'messages'"],
        [2, "echo: Q c", null],
      ],
    );
    assert.equal(rows[0].usage.totalTokens, 8);
    assert.equal(existsSync(`${out}.openai-batch.json`), false, "the batch id is forgotten once its results are saved");

    // Resuming: the batch id kept from a run that was stopped is polled again, nothing uploaded.
    const before = server.requests.length;
    writeFileSync(`${out}.openai-batch.json`, JSON.stringify({ batch_id: "batch_1" }));
    const again = await aiconfig(
      ["batch", file, "--prompt", "ask", "--grid", "q=a,b,c", "--via", "openai-batch", "--out", out, "--resume"],
      env,
    );
    assert.equal(again.code, 1, again.stderr);
    const paths = server.requests.slice(before).map((q) => `${q.method} ${q.path}`);
    assert.ok(!paths.includes("POST /v1/files") && !paths.includes("POST /v1/batches"), paths.join(", "));
    assert.ok(paths.includes("GET /v1/batches/batch_1"));
  } finally {
    await server.close();
  }
});

test("--via openai-batch --with-dependencies runs each row's dependencies here, then sends only the target's requests, built from their outputs, in the batch", async () => {
  const { server, uploaded } = await batchServer();
  try {
    const { dir, file } = workspace({ "gpt-4o-mini": { model: "gpt-4o-mini" } }, [
      { name: "topic", input: "topic {{q}}", metadata: { model: "gpt-4o-mini" } },
      { name: "ask", input: "Q {{topic.output}}", metadata: { model: "gpt-4o-mini" } },
    ]);
    const out = join(dir, "out.jsonl");
    const env = { OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: `${server.url}/v1`, AICONFIG_BATCH_POLL_MS: "20" };
    const args = ["batch", file, "--prompt", "ask", "--grid", "q=a,b,c", "--with-dependencies", "--via", "openai-batch", "--out", out];
    const r = await aiconfig(args, env);
    assert.equal(r.code, 1, r.stderr);
    const oneByOne = server.requests.filter((q) => q.path === "/v1/chat/completions").map((q) => q.body.messages.at(-1).content);
    assert.deepEqual(oneByOne.sort(), ["topic a", "topic b", "topic c"], "each row's dependency ran here, once");
    assert.deepEqual(
      uploaded().map((line) => [line.custom_id, line.body.messages.at(-1)!.content]),
      [
        ["row-0", "Q echo: topic a"],
        ["row-2", "Q echo: topic c"],
      ],
      "only the target's requests, with the dependency's output in them; the row whose dependency failed is not sent",
    );
    const rows = jsonl(out);
    assert.deepEqual(
      rows.map((row) => [row.index, row.output, row.error?.message ?? null]),
      [
        [0, "echo: Q echo: topic a", null],
        [1, "", rows[1].error?.message],
        [2, "echo: Q echo: topic c", null],
      ],
    );
    assert.match(rows[1].error.message, /Invalid 'messages'/);

    // Resuming a batch already created (as if killed while it ran) polls it again: no dependency runs again,
    // nothing is uploaded, and the rows the batch holds are taken from it.
    const before = server.requests.length;
    unlinkSync(out);
    writeFileSync(`${out}.openai-batch.json`, JSON.stringify({ batch_id: "batch_1", rows: [0, 2] }));
    const again = await aiconfig([...args, "--resume"], { ...env, AICONFIG_BATCH_POLL_MS: "20" });
    const paths = server.requests.slice(before).map((q) => `${q.method} ${q.path}`);
    assert.ok(!paths.some((p) => p.startsWith("POST")), paths.join(", "));
    assert.ok(paths.includes("GET /v1/batches/batch_1"), paths.join(", "));
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(
      jsonl(out).map((row) => row.output),
      ["echo: Q echo: topic a", "echo: Q echo: topic c"],
    );
  } finally {
    await server.close();
  }
});

test("`aiconfig batch --help` says --via costs half the price", async () => {
  const r = await aiconfig(["batch", "--help"], {});
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.replace(/\s+/g, " "), /--via <api> openai-batch or anthropic-batch: .*half the price/);
});

/** Message Batches: created, in progress on the first poll, ended on the next; row-1 errored. */
async function messageBatchServer() {
  const server = await startReplayServer();
  let created: { custom_id: string; params: { model: string; max_tokens: number; messages: { role: string; content: unknown }[] } }[] = [];
  let polls = 0;
  const json = (res: import("node:http").ServerResponse, body: unknown) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const batch = (ended: boolean) => ({
    id: "msgbatch_1",
    type: "message_batch",
    processing_status: ended ? "ended" : "in_progress",
    request_counts: {
      processing: ended ? 0 : created.length,
      succeeded: ended ? created.length - 1 : 0,
      errored: ended ? 1 : 0,
      canceled: 0,
      expired: 0,
    },
    created_at: "2026-01-01T00:00:00Z",
    expires_at: "2026-01-02T00:00:00Z",
    ended_at: ended ? "2026-01-01T00:01:00Z" : null,
    archived_at: null,
    cancel_initiated_at: null,
    results_url: ended ? `${server.url}/v1/messages/batches/msgbatch_1/results` : null,
  });
  const text = (content: unknown) => (typeof content === "string" ? content : (content as { text: string }[]).map((c) => c.text).join(""));
  server.fallback((req: RecordedRequest, res) => {
    if (req.method === "POST" && req.path === "/v1/messages/batches") {
      created = req.body.requests;
      return json(res, batch(false));
    }
    if (req.method === "GET" && req.path === "/v1/messages/batches/msgbatch_1") return json(res, batch(++polls >= 2));
    if (req.method === "GET" && req.path === "/v1/messages/batches/msgbatch_1/results") {
      res.writeHead(200, { "content-type": "application/binary" });
      res.end(
        created
          .map((r) =>
            JSON.stringify({
              custom_id: r.custom_id,
              result:
                r.custom_id === "row-1"
                  ? {
                      type: "errored",
                      error: { type: "error", error: { type: "invalid_request_error", message: "max_tokens: too large" } },
                    }
                  : {
                      type: "succeeded",
                      message: {
                        id: `msg_${r.custom_id}`,
                        type: "message",
                        role: "assistant",
                        model: r.params.model,
                        content: [{ type: "text", text: `echo: ${text(r.params.messages.at(-1)!.content)}` }],
                        stop_reason: "end_turn",
                        stop_sequence: null,
                        usage: { input_tokens: 5, output_tokens: 3 },
                      },
                    },
            }),
          )
          .join("\n"),
      );
      return;
    }
    res.writeHead(404).end();
  });
  return { server, created: () => created };
}

test("--via anthropic-batch creates a Message Batch of the rows' requests, polls it, maps the results back; an errored request is that row's error", async () => {
  const { server, created } = await messageBatchServer();
  try {
    const { dir, file } = workspace({ "claude-3-5-haiku-latest": { max_tokens: 64 } }, [
      { name: "ask", input: "Q {{q}}", metadata: { model: "claude-3-5-haiku-latest" } },
    ]);
    const out = join(dir, "out.csv");
    const env = { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: server.url, AICONFIG_BATCH_POLL_MS: "20" };
    const r = await aiconfig(["batch", file, "--prompt", "ask", "--grid", "q=a,b,c", "--via", "anthropic-batch", "--out", out], env);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      created().map((c) => [c.custom_id, c.params.model, c.params.max_tokens]),
      [
        ["row-0", "claude-3-5-haiku-latest", 64],
        ["row-1", "claude-3-5-haiku-latest", 64],
        ["row-2", "claude-3-5-haiku-latest", 64],
      ],
    );
    const csv = readFileSync(out, "utf8");
    assert.match(csv, /^index,q,model,output,/);
    assert.match(csv, /\n0,a,claude-3-5-haiku-latest,echo: Q a,/);
    assert.match(csv, /\n1,b,claude-3-5-haiku-latest,,.*invalid_request_error: max_tokens: too large/);
    assert.match(csv, /\n2,c,claude-3-5-haiku-latest,echo: Q c,/);
    assert.equal(existsSync(`${out}.anthropic-batch.json`), false);
  } finally {
    await server.close();
  }
});
