// `aiconfig batch` under rate limits, against local servers speaking OpenAI's and Anthropic's wire
// format (replies constructed from the documented shapes and rate-limit headers:
// https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers,
// https://docs.anthropic.com/en/api/rate-limits#response-headers). Each server records when each
// request arrived and when each reply left; the assertions are on those times' order and spacing
// (lower bounds the limits impose, which a slow machine only makes easier to meet), not on wall-clock limits.
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { test } from "node:test";
import { type RecordedRequest, startReplayServer } from "@aiconfig-ts/testing";
import { aiconfigWorkspace, startAiconfig } from "./batch-cli.test.helper.js";

/** An aiconfig whose prompt `ask` sends `Q {{q}}` to `model` (constructed). */
const workspace = (model: string, settings: object = {}) =>
  aiconfigWorkspace({ [model]: settings }, [{ name: "ask", input: "Q {{q}}", metadata: { model } }]).file;

/** What a server saw: each request's arrival and each reply's departure (ms, `performance.now()`), and the 429s it sent. */
interface Timeline {
  arrivals: number[];
  replies: number[];
  rejected: number;
}

/** An OpenAI chat completion echoing the last message, with this usage (constructed). */
function chatCompletion(req: RecordedRequest, usage: { prompt_tokens: number; completion_tokens: number }) {
  const content = req.body.messages.at(-1).content as string;
  return {
    id: "chatcmpl-limits",
    object: "chat.completion",
    created: 1,
    model: req.body.model,
    choices: [
      { index: 0, message: { role: "assistant", content: `echo: ${content}`, refusal: null }, finish_reason: "stop", logprobs: null },
    ],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

/** An Anthropic message echoing the last message (constructed). */
function anthropicMessage(req: RecordedRequest) {
  const content = req.body.messages.at(-1).content;
  const text = typeof content === "string" ? content : (content as { text: string }[]).map((c) => c.text).join("");
  return {
    id: "msg_limits",
    type: "message",
    role: "assistant",
    model: req.body.model,
    content: [{ type: "text", text: `echo: ${text}` }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 5, output_tokens: 3 },
  };
}

const send = (res: ServerResponse, timeline: Timeline, status: number, headers: Record<string, string>, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  timeline.replies.push(performance.now());
  res.end(JSON.stringify(body));
};

/**
 * A server allowing `perWindow` requests in each window of `windowMs` (a window starts with the first
 * request after the last one ended), refusing more with 429, and announcing on every reply what is left
 * and when the window ends, in `style`'s headers.
 */
async function windowedServer(style: "openai" | "anthropic", perWindow: number, windowMs: number) {
  const server = await startReplayServer();
  const timeline: Timeline = { arrivals: [], replies: [], rejected: 0 };
  let windowEnd = 0;
  let used = 0;
  server.fallback((req, res) => {
    const now = performance.now();
    timeline.arrivals.push(now);
    if (now >= windowEnd) {
      windowEnd = now + windowMs;
      used = 0;
    }
    const over = used >= perWindow;
    if (!over) used++;
    const resetMs = Math.max(1, Math.ceil(windowEnd - now));
    const headers: Record<string, string> =
      style === "openai"
        ? { "x-ratelimit-remaining-requests": String(perWindow - used), "x-ratelimit-reset-requests": `${resetMs}ms` }
        : {
            "anthropic-ratelimit-requests-remaining": String(perWindow - used),
            // Date.now() drops the fraction of a millisecond that performance.now() keeps: one more millisecond so that the
            // announced reset is never before this window's end (a request sent at the announced time then counted in
            // the old window was refused with a 429, once, on a busy machine).
            "anthropic-ratelimit-requests-reset": new Date(Date.now() + resetMs + 1).toISOString(),
          };
    if (over) {
      timeline.rejected++;
      const error =
        style === "openai"
          ? { error: { message: "Rate limit reached for requests", type: "requests", code: "rate_limit_exceeded" } }
          : { type: "error", error: { type: "rate_limit_error", message: "Number of requests has exceeded your rate limit" } };
      return send(res, timeline, 429, headers, error);
    }
    send(
      res,
      timeline,
      200,
      headers,
      style === "openai" ? chatCompletion(req, { prompt_tokens: 5, completion_tokens: 3 }) : anthropicMessage(req),
    );
  });
  return { server, timeline };
}

const grid = (n: number) => `q=${Array.from({ length: n }, (_, i) => String(i)).join(",")}`;

test("--tpm is shared by all rows: requests wait for the tokens the finished rows used (server-recorded spacing)", async () => {
  const server = await startReplayServer();
  const timeline: Timeline = { arrivals: [], replies: [], rejected: 0 };
  const usage = { prompt_tokens: 20, completion_tokens: 180 }; // 200 tokens a row
  const estimates: number[] = [];
  server.fallback((req, res) => {
    timeline.arrivals.push(performance.now());
    // What the batch estimates before sending: the request's JSON / 4 (it has no max_tokens), with 30 tokens of slack.
    estimates.push(Math.ceil(req.raw.length / 4) + 30);
    send(res, timeline, 200, {}, chatCompletion(req, usage));
  });
  try {
    const rows = 5;
    const concurrency = 2;
    const tpm = 12_000; // 200 tokens a second, a bucket of 200
    const r = await startAiconfig(
      [
        "batch",
        workspace("gpt-4o-mini"),
        "--prompt",
        "ask",
        "--grid",
        grid(rows),
        "--concurrency",
        String(concurrency),
        "--tpm",
        String(tpm),
      ],
      { OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: `${server.url}/v1` },
    ).done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`${rows} rows run .*0 failed.*${rows * 200} tokens`, "s"));
    // From the first reply on, each finished row's usage comes out of the bucket (less its estimate, taken
    // before). The last request starts after at least rows - concurrency rows finished, so by then the
    // bucket (at most full at the first reply) gave that many rows' tokens: it cannot arrive sooner.
    const ratePerMs = tpm / 60_000;
    const bucket = Math.ceil(tpm / 60);
    const used = (rows - concurrency) * (200 - Math.max(...estimates));
    const earliest = timeline.replies[0]! + (used - bucket) / ratePerMs;
    assert.ok(used - bucket > 0, "the bound says something");
    const last = timeline.arrivals.at(-1)!;
    assert.ok(
      last >= earliest,
      `the last request arrived ${(last - timeline.replies[0]!).toFixed(0)} ms after the first reply; the limit allows no sooner than ${(earliest - timeline.replies[0]!).toFixed(0)} ms`,
    );
  } finally {
    await server.close();
  }
});

/** Runs `rows` rows, 3 at a time with no limit given, against a windowed server; asserts none was refused. */
async function slowsBeforeA429(style: "openai" | "anthropic", perWindow: number, rows: number) {
  const { server, timeline } = await windowedServer(style, perWindow, 1000);
  try {
    const [file, env] =
      style === "openai"
        ? [workspace("gpt-4o-mini"), { OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: `${server.url}/v1` }]
        : [workspace("claude-3-5-haiku-latest", { max_tokens: 64 }), { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: server.url }];
    const r = await startAiconfig(["batch", file, "--prompt", "ask", "--grid", grid(rows), "--concurrency", "3"], env).done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`${rows} rows run .*0 failed`));
    assert.equal(timeline.rejected, 0, "no request was refused: the scheduler slowed down first");
    assert.equal(timeline.arrivals.length, rows);
  } finally {
    await server.close();
  }
}

test("OpenAI's x-ratelimit-remaining-requests / -reset-requests: the batch waits for the reset once the allowance is used up, before any 429", () =>
  slowsBeforeA429("openai", 4, 12));

test("Anthropic's anthropic-ratelimit-requests-remaining / -reset: the batch waits for the reset once the allowance is used up, before any 429", () =>
  slowsBeforeA429("anthropic", 3, 9));

test("retry-after-ms on a 429: no request arrives before the wait it asked for; the row is retried, not failed", async () => {
  const server = await startReplayServer();
  const timeline: Timeline = { arrivals: [], replies: [], rejected: 0 };
  server.fallback((req, res) => {
    timeline.arrivals.push(performance.now());
    if (timeline.arrivals.length === 2) {
      timeline.rejected++;
      return send(res, timeline, 429, { "retry-after-ms": "700" }, { error: { message: "Rate limit reached", type: "requests" } });
    }
    send(res, timeline, 200, {}, chatCompletion(req, { prompt_tokens: 5, completion_tokens: 3 }));
  });
  try {
    const r = await startAiconfig(["batch", workspace("gpt-4o-mini"), "--prompt", "ask", "--grid", grid(4), "--concurrency", "1"], {
      OPENAI_API_KEY: "sk-test-key",
      OPENAI_BASE_URL: `${server.url}/v1`,
    }).done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /4 rows run .*0 failed/);
    assert.match(r.stderr, /1 rate-limited replies retried/);
    assert.equal(timeline.arrivals.length, 5, "four rows and one retry");
    const refusedAt = timeline.replies[1]!;
    assert.ok(timeline.arrivals[2]! - refusedAt >= 700, `next request ${(timeline.arrivals[2]! - refusedAt).toFixed(0)} ms after the 429`);
  } finally {
    await server.close();
  }
});
