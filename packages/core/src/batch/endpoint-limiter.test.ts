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

test("with no limit of its own, an allowance used up pauses the endpoint until the reset the headers give", async () => {
  const limiter = new EndpointLimiter(TokenBucket, {});
  limiter.observe(lastOfWindow);
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
