import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AIConfigRuntime, type BatchRowResult, type Provider, parseExpectCheck, readRateLimitHeaders, runExpectCheck } from "../index.js";

/**
 * A constructed provider (no service behind it): echoes the rendered input,
 * and fails with a 429-shaped error for the first `failFirst` requests.
 * Counts the requests in flight.
 */
function echoProvider(opts: { delayMs?: number; offline?: boolean; failFirst?: number } = {}) {
  const stats = { requests: 0, inFlight: 0, maxInFlight: 0 };
  const provider: Provider<string> = {
    id: "echo",
    capabilities: { tasks: ["text-generation"], streams: false, chat: false, offline: opts.offline },
    resolve: (ctx) => ctx.input.text,
    async run(request, ctx) {
      const n = ++stats.requests;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        await new Promise((r) => setTimeout(r, opts.delayMs ?? 1));
        if (n <= (opts.failFirst ?? 0)) {
          ctx.reportRateLimit?.({ status: 429, headers: { "retry-after-ms": "5" } });
          throw Object.assign(new Error("Too Many Requests"), { status: 429 });
        }
        return [{ output_type: "execute_result", data: `${ctx.model}:${request}`, execution_count: 0, metadata: {} }];
      } finally {
        stats.inFlight--;
      }
    },
  };
  return { provider, stats };
}

function runtimeWith(provider: Provider) {
  const runtime = AIConfigRuntime.create("batch", "", "latest", { default_model: "m1", parameters: { who: "nobody" } }, [
    { name: "greet", input: "hi {{who}}", metadata: {} },
    { name: "shout", input: "{{greet.output}}!", metadata: {} },
  ]);
  runtime.registerModelParser(provider, ["m1", "m2"]);
  return runtime;
}

async function collect(results: AsyncIterable<BatchRowResult>) {
  const out: BatchRowResult[] = [];
  for await (const r of results) out.push(r);
  return out.sort((a, b) => a.index - b.index || a.model.localeCompare(b.model));
}

describe("runBatch", () => {
  test("each row runs on its own copy: rows never see each other's outputs, the document keeps its own", async () => {
    const { provider } = echoProvider({ delayMs: 5 });
    const runtime = runtimeWith(provider);
    runtime.addOutput("greet", { output_type: "execute_result", data: "kept", execution_count: 0, metadata: {} });
    const rows = Array.from({ length: 20 }, (_, i) => ({ who: `p${i}` }));
    const results = await collect(runtime.runBatch("shout", rows, { withDependencies: true, concurrency: 5 }));
    assert.equal(results.length, 20);
    assert.deepEqual(
      results.map((r) => r.output),
      rows.map((_, i) => `m1:m1:hi p${i}!`),
    );
    assert.equal(runtime.getOutputText("greet"), "kept");
    assert.equal(runtime.getPrompt("shout")?.outputs, undefined);
  });

  test("concurrency bounds the rows in flight; an offline provider gets one request at a time", async () => {
    const online = echoProvider({ delayMs: 10 });
    await collect(
      runtimeWith(online.provider).runBatch(
        "greet",
        Array.from({ length: 30 }, () => ({})),
        { concurrency: 4 },
      ),
    );
    assert.equal(online.stats.maxInFlight, 4);
    const offline = echoProvider({ delayMs: 5, offline: true });
    await collect(
      runtimeWith(offline.provider).runBatch(
        "greet",
        Array.from({ length: 10 }, () => ({})),
        { concurrency: 4 },
      ),
    );
    assert.equal(offline.stats.maxInFlight, 1);
  });

  test("a 429 storm is retried and never becomes a row's result; retries exhausted make it the row's error", async () => {
    const storm = echoProvider({ failFirst: 12 });
    const results = await collect(
      runtimeWith(storm.provider).runBatch(
        "greet",
        Array.from({ length: 6 }, (_, i) => ({ who: String(i) })),
        { concurrency: 3, rateLimit: { maxRetries: 12 } },
      ),
    );
    assert.equal(results.length, 6);
    assert.ok(results.every((r) => !r.error && r.output.startsWith("m1:hi")));
    assert.equal(storm.stats.requests, 18);
    const endless = echoProvider({ failFirst: 1000 });
    const [only] = await collect(runtimeWith(endless.provider).runBatch("greet", [{}], { rateLimit: { maxRetries: 2 } }));
    assert.equal(endless.stats.requests, 3);
    assert.match(only!.error!.message, /Too Many Requests/);
    assert.equal(only!.outputs[0]?.output_type, "error");
  });

  test("--model comparison: each row on each model; keys differ by model and by prompt text", async () => {
    const { provider } = echoProvider();
    const runtime = runtimeWith(provider);
    const results = await collect(runtime.runBatch("greet", [{ who: "a" }, { who: "b" }], { models: ["m1", "m2"] }));
    assert.deepEqual(
      results.map((r) => r.output),
      ["m1:hi a", "m2:hi a", "m1:hi b", "m2:hi b"],
    );
    assert.notEqual(results[0]!.key, results[1]!.key);
    const before = results[0]!.key;
    runtime.getPrompt("greet")!.input = "hello {{who}}";
    const [again] = await collect(runtime.runBatch("greet", [{ who: "a" }], { models: ["m1"] }));
    assert.notEqual(again!.key, before, "a changed prompt is not mistaken for the row done before");
  });

  test("resolveOnly runs each row's dependencies and yields the target's request without running it", async () => {
    const { provider, stats } = echoProvider();
    const runtime = runtimeWith(provider);
    const results = await collect(runtime.runBatch("shout", [{ who: "a" }, { who: "b" }], { withDependencies: true, resolveOnly: true }));
    assert.deepEqual(
      results.map((r) => [r.request, r.output, r.outputs.length]),
      [
        ["m1:hi a!", "", 0],
        ["m1:hi b!", "", 0],
      ],
    );
    assert.equal(stats.requests, 2, "only the dependency ran, once per row");
    assert.equal(runtime.getPrompt("shout")?.outputs, undefined);
  });

  test("isDone skips rows already done; expect checks run per row", async () => {
    const { provider, stats } = echoProvider();
    const runtime = runtimeWith(provider);
    const rows = [
      { who: "a", want: "m1:hi a" },
      { who: "b", want: "nope" },
      { who: "c", want: "m1:hi c" },
    ];
    const results = await collect(
      runtime.runBatch("greet", rows, {
        isDone: (index) => index === 2,
        expect: [parseExpectCheck("want"), parseExpectCheck("want:contains")],
      }),
    );
    assert.equal(stats.requests, 2);
    assert.deepEqual(
      results.map((r) => r.expect?.map((c) => c.pass)),
      [
        [true, true],
        [false, false],
      ],
    );
  });
});

describe("expect checks", () => {
  test("equals, contains, regex, json and json-schema against a row's column", () => {
    const row = { a: " 42 ", pat: "/^\\d+$/", schema: '{"type":"object","required":["x"]}', bad: "([" };
    const check = (spec: string, output: string) => runExpectCheck(parseExpectCheck(spec), output, row).pass;
    assert.equal(check("a", "42"), true);
    assert.equal(check("a:contains", "x 42 y"), true);
    assert.equal(check("pat:regex", "42"), true);
    assert.equal(check("pat:regex", "4a"), false);
    assert.equal(check(":json", "{}"), true);
    assert.equal(check(":json", "{"), false);
    assert.equal(check("schema:json-schema", '{"x":1}'), true);
    assert.equal(check("schema:json-schema", '{"y":1}'), false);
    assert.match(runExpectCheck(parseExpectCheck("bad:regex"), "x", row).message!, /not a regular expression/);
    assert.match(runExpectCheck(parseExpectCheck("missing"), "x", row).message!, /no column "missing"/);
    assert.throws(() => parseExpectCheck("a:equal"), /unknown check "equal"; use one of equals/);
  });
});

describe("rate-limit headers", () => {
  test("OpenAI's and Anthropic's headers, Retry-After in seconds and as a date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    assert.deepEqual(
      readRateLimitHeaders(
        {
          status: 429,
          headers: {
            "retry-after-ms": "250",
            "x-ratelimit-limit-requests": "6000",
            "x-ratelimit-remaining-requests": "0",
            "x-ratelimit-reset-requests": "1m6.5s",
            "x-ratelimit-reset-tokens": "20ms",
          },
        },
        now,
      ),
      { retryAfterMs: 250, requestsLimit: 6000, remainingRequests: 0, resetRequestsMs: 66_500, resetTokensMs: 20 },
    );
    assert.deepEqual(
      readRateLimitHeaders(
        {
          status: 200,
          headers: {
            "retry-after": "2",
            "anthropic-ratelimit-tokens-remaining": "10",
            "anthropic-ratelimit-tokens-reset": "2026-01-01T00:00:03Z",
          },
        },
        now,
      ),
      { retryAfterMs: 2000, remainingTokens: 10, resetTokensMs: 3000 },
    );
    assert.equal(
      readRateLimitHeaders({ status: 429, headers: { "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" } }, now).retryAfterMs,
      5000,
    );
  });
});
