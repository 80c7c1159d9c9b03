import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { closedPort, startFaultServer } from "@aiconfig-ts/testing";
import { ProviderResponseError } from "../errors.js";
import { providerFetch, requestedRetryWait } from "./provider-fetch.js";

const server = await startFaultServer({ quietConsole: false });

function fault(kind: ProviderResponseError["kind"], pattern: RegExp) {
  return (e: unknown) => ProviderResponseError.isInstance(e) && e.kind === kind && pattern.test(e.message) && !e.message.includes("\n");
}

/** A providerFetch over the global fetch that keeps each response fetch gave, to compare with what it hands on. */
function fetchKeepingResponses(): { fetch: typeof fetch; given: Response[] } {
  const given: Response[] = [];
  const fetch = providerFetch({
    service: "Test",
    fetch: async (input, init) => {
      const response = await globalThis.fetch(input, init);
      given.push(response);
      return response;
    },
  });
  return { fetch, given };
}

describe("fault: Retry-After asks for an hour", () => {
  test("the wait is capped at max_retry_wait, the user is told how long, and the retry succeeds", async () => {
    server.reply({ json: { error: "slow down" }, status: 429, headers: { "retry-after": "3600" } }, { json: { ok: true } });
    const said: string[] = [];
    const fetch = providerFetch({ service: "Test", maxRetryWait: 50, warn: (m) => said.push(m) });
    const response = await fetch(`${server.url}/v1/x`, { method: "POST", body: "{}" });
    assert.deepEqual(await response.json(), { ok: true });
    assert.equal(server.requests.length, 2);
    assert.deepEqual(said, [
      "Test answered 429 and asked to wait 3600 s; waiting 0.05 s (max_retry_wait) before retrying (attempt 2 of 3)",
    ]);
  });

  test("by default the wait is at most 60 s, said before waiting (the run is cancelled while it waits)", async () => {
    server.reply({ json: {}, status: 503, headers: { "retry-after": "3600" } });
    const controller = new AbortController();
    const said: string[] = [];
    const fetch = providerFetch({
      service: "Test",
      warn: (m) => {
        said.push(m);
        controller.abort(new Error("cancelled"));
      },
    });
    await assert.rejects(fetch(`${server.url}/v1/x`, { signal: controller.signal }), /cancelled/);
    assert.match(said[0] ?? "", /asked to wait 3600 s; waiting 60 s \(max_retry_wait\)/);
  });

  test("Retry-After as seconds or an HTTP date, retry-after-ms first", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    assert.equal(requestedRetryWait(new Headers({ "retry-after": "3600" }), now), 3_600_000);
    assert.equal(requestedRetryWait(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }), now), 30_000);
    assert.equal(requestedRetryWait(new Headers({ "retry-after": "5", "retry-after-ms": "250" }), now), 250);
    assert.equal(requestedRetryWait(new Headers({}), now), undefined);
  });
});

describe("fault: the server stalls", () => {
  test("a reply that stalls after its headers fails with a timeout naming the URL", async () => {
    server.reply((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"a":1}\n\n');
      // ...and nothing more: the connection stays open.
    });
    const fetch = providerFetch({ service: "Test", timeout: 150 });
    const response = await fetch(`${server.url}/v1/stream`);
    await assert.rejects(
      response.text(),
      fault("timeout", new RegExp(`^Test at ${server.url}/v1/stream sent nothing for 0.15 s in the middle of its reply \\(timeout\\)`)),
    );
  });

  test("a server that never sends its headers fails with a timeout", async () => {
    server.reply({ hang: true });
    const fetch = providerFetch({ service: "Test", timeout: 150, maxRetries: 0 });
    await assert.rejects(fetch(`${server.url}/v1/x`), fault("timeout", /did not answer within 0.15 s \(timeout\)/));
  });
});

describe("fault: nothing listens", () => {
  test("connection refused names the URL, without the query it had (Gemini puts its key there)", async () => {
    const port = await closedPort();
    const fetch = providerFetch({ service: "Test", maxRetries: 0 });
    await assert.rejects(
      fetch(`http://127.0.0.1:${port}/v1/models?key=sk-secret`),
      (e: unknown) =>
        fault(
          "connection",
          new RegExp(`^could not reach Test at http://127.0.0.1:${port}/v1/models: connection refused \\(ECONNREFUSED\\)`),
        )(e) && !(e as Error).message.includes("sk-secret"),
    );
  });
});

describe("fault: the server is not the API", () => {
  test("a 200 reply of HTML says so instead of a TypeError later", async () => {
    server.reply({ body: "<!doctype html><title>Login</title>", headers: { "content-type": "text/html; charset=utf-8" } });
    const fetch = providerFetch({ service: "Test" });
    await assert.rejects(
      fetch(`${server.url}/v1/chat`),
      fault("not-json", new RegExp(`^the server at ${server.url}/v1/chat answered text/html, not JSON`)),
    );
  });

  test("a 200 reply of broken JSON says so when the SDK reads it (json(), text(), or a clone's)", async () => {
    const brokenJSON = fault("not-json", /answered application\/json that is not valid JSON \("\{\\"choices\\": \["\)/);
    const fetch = providerFetch({ service: "Test" });
    server.reply({ body: '{"choices": [', headers: { "content-type": "application/json" } });
    await assert.rejects((await fetch(`${server.url}/v1/chat`)).json(), brokenJSON);
    server.reply({ body: '{"choices": [', headers: { "content-type": "application/json" } });
    await assert.rejects((await fetch(`${server.url}/v1/chat`)).text(), brokenJSON);
    server.reply({ body: '{"choices": [', headers: { "content-type": "application/json" } });
    await assert.rejects((await fetch(`${server.url}/v1/chat`)).clone().json(), brokenJSON);
    // Read through the guarded stream (a timeout is set): the same error.
    server.reply({ body: '{"choices": [', headers: { "content-type": "application/json" } });
    await assert.rejects((await providerFetch({ service: "Test", timeout: 5000 })(`${server.url}/v1/chat`)).json(), brokenJSON);
  });

  test("a good JSON reply is handed on whole", async () => {
    server.reply({ json: { choices: [1, 2] } });
    const response = await providerFetch({ service: "Test" })(`${server.url}/v1/chat`);
    assert.deepEqual(await response.json(), { choices: [1, 2] });
  });
});

describe("the success path", () => {
  test("with no limit to watch, a reply of declared size is handed on as fetch gave it (no stream of ours in between)", async () => {
    server.reply({ body: Buffer.alloc(2048, 1), headers: { "content-type": "application/octet-stream", "content-length": "2048" } });
    const { fetch, given } = fetchKeepingResponses();
    const response = await fetch(`${server.url}/audio`);
    assert.equal(response, given[0]);
    assert.equal((await response.arrayBuffer()).byteLength, 2048);
  });

  test("a JSON reply: json() gives the parsed value, a clone's text() the body", async () => {
    server.reply({ json: { choices: [{ text: "hi" }] } });
    const response = await providerFetch({ service: "Test" })(`${server.url}/v1/chat`);
    assert.deepEqual(JSON.parse(await response.clone().text()), { choices: [{ text: "hi" }] });
    assert.deepEqual(await response.json(), { choices: [{ text: "hi" }] });
  });

  test("a checked JSON reply of declared size is the response fetch gave (its URL, status and headers), its body read once as any Response's", async () => {
    const body = JSON.stringify({ choices: [{ text: "hi" }] });
    server.reply({
      body,
      headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "x-request-id": "req_1" },
    });
    const { fetch, given } = fetchKeepingResponses();
    const response = await fetch(`${server.url}/v1/chat`);
    assert.equal(response, given[0], "no second Response over the text");
    assert.ok(response instanceof Response);
    assert.equal(response.url, `${server.url}/v1/chat`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-request-id"), "req_1");
    assert.equal(response.bodyUsed, false);
    assert.deepEqual(await response.json(), { choices: [{ text: "hi" }] });
    assert.equal(response.bodyUsed, true);
    await assert.rejects(response.json(), TypeError);
    await assert.rejects(response.text(), TypeError);
    assert.throws(() => response.clone(), TypeError);
  });

  test("a checked JSON reply's text, bytes and stream give the body as the server sent it", async () => {
    const sent = '{"choices": [{"text": "héllo"}]}';
    server.reply({ body: sent, headers: { "content-type": "application/json; charset=utf-8" } });
    const fetch = providerFetch({ service: "Test" });
    assert.equal(await (await fetch(`${server.url}/v1/chat`)).text(), sent);
    server.reply({ body: sent, headers: { "content-type": "application/json" } });
    const streamed = await fetch(`${server.url}/v1/chat`);
    assert.equal(await new Response(streamed.body).text(), sent);
    assert.equal(streamed.bodyUsed, true);
    await assert.rejects(streamed.json(), TypeError);
    server.reply({ body: sent, headers: { "content-type": "application/json" } });
    assert.equal(new TextDecoder().decode(await (await fetch(`${server.url}/v1/chat`)).arrayBuffer()), sent);
    // With a timeout the body was read through the guarded stream: the same answers.
    server.reply({ body: sent, headers: { "content-type": "application/json" } });
    const guarded = await providerFetch({ service: "Test", timeout: 5000 })(`${server.url}/v1/chat`);
    assert.deepEqual(await guarded.clone().json(), JSON.parse(sent));
    assert.deepEqual(await guarded.json(), JSON.parse(sent));
  });
});

describe("fault: the reply is too large", () => {
  test("a streamed body beyond max_response_bytes is cut off with an error", async () => {
    server.reply((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write(Buffer.alloc(1024));
      res.end(Buffer.alloc(1024));
    });
    const response = await providerFetch({ service: "Test", maxResponseBytes: 1500 })(`${server.url}/audio`);
    await assert.rejects(response.arrayBuffer(), fault("too-large", /is larger than 0 MB \(max_response_bytes\): cut off/));
  });

  test("a Content-Length beyond the limit is refused before reading", async () => {
    server.reply({ body: Buffer.alloc(4096), headers: { "content-type": "application/octet-stream", "content-length": "4096" } });
    await assert.rejects(providerFetch({ service: "Test", maxResponseBytes: 1024 })(`${server.url}/audio`), fault("too-large", /not read/));
  });
});
