import assert from "node:assert/strict";
import { test } from "node:test";
import { TokenBucket } from "limiter";
import { EndpointLimiter } from "./endpoint-limiter.js";

/** A successful reply that used the last request of the server's window (constructed, OpenAI's header names). */
const lastOfWindow = {
  status: 200,
  headers: { "x-ratelimit-limit-requests": "6000", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1s" },
};

async function msToAcquire(limiter: EndpointLimiter): Promise<number> {
  const started = Date.now();
  await limiter.acquire(0);
  return Date.now() - started;
}

test("with no limit of its own and none in the headers, an allowance used up pauses the endpoint until the reset the headers give", async () => {
  const limiter = new EndpointLimiter(TokenBucket, {});
  const { "x-ratelimit-limit-requests": _limit, ...withoutLimit } = lastOfWindow.headers;
  limiter.observe({ status: 200, headers: withoutLimit });
  assert.ok((await msToAcquire(limiter)) >= 900, "waited for the 1 s reset");
});

test("with the caller's --rpm, a reply that used the last request does not pause the endpoint (the bucket paces it)", async () => {
  const limiter = new EndpointLimiter(TokenBucket, { requestsPerMinute: 6000 });
  await limiter.acquire(0); // the bucket starts empty: the first request waits for a drip
  limiter.observe(lastOfWindow);
  assert.ok((await msToAcquire(limiter)) < 500, "not paused for the whole reset");
});

test("Retry-After still pauses the endpoint whatever the caller's limit", async () => {
  const limiter = new EndpointLimiter(TokenBucket, { requestsPerMinute: 6000 });
  limiter.observe({ status: 429, headers: { "retry-after-ms": "600" } });
  assert.ok((await msToAcquire(limiter)) >= 550);
});

test("a reply's remaining allowance counts only what the server had seen: requests sent after its request are taken off it", async () => {
  const limiter = new EndpointLimiter(TokenBucket, {});
  const first = await limiter.acquire(0);
  await limiter.acquire(0);
  await limiter.acquire(0);
  // The reply to the first request says 2 are left; the two sent since use them up.
  limiter.observe({ status: 200, headers: { "x-ratelimit-remaining-requests": "2", "x-ratelimit-reset-requests": "800ms" } }, first);
  assert.ok((await msToAcquire(limiter)) >= 700, "waited for the reset");
});

test("a reply's remaining tokens: a request needing more than is left waits for the reset", async () => {
  const limiter = new EndpointLimiter(TokenBucket, {});
  const ticket = await limiter.acquire(10);
  limiter.observe(
    {
      status: 200,
      headers: {
        "anthropic-ratelimit-tokens-remaining": "50",
        "anthropic-ratelimit-tokens-reset": new Date(Date.now() + 800).toISOString(),
      },
    },
    ticket,
  );
  const started = Date.now();
  await limiter.acquire(40); // 40 of the 50 left
  await limiter.acquire(40);
  assert.ok(Date.now() - started >= 600, "the next 40 wait for the reset");
});

test("with the limit in the headers, a used-up allowance refills evenly until the reset: the next request waits for one request's share, not the whole reset", async () => {
  const limiter = new EndpointLimiter(TokenBucket, { requestsPerMinute: undefined });
  const ticket = await limiter.acquire(0);
  // 600 a minute, none left, whole again in 60 s: one comes back every 100 ms.
  limiter.observe(
    {
      status: 200,
      headers: { "x-ratelimit-limit-requests": "600", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "60s" },
    },
    ticket,
  );
  const waited = await msToAcquire(limiter);
  assert.ok(waited >= 80, `waited ${waited} ms for a request's share`);
  assert.ok(waited < 30_000, `waited ${waited} ms: not the whole 60 s reset`);
});
