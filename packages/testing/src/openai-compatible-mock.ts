/**
 * A local OpenAI-compatible chat server on 127.0.0.1 for batch tests and
 * benchmarks (constructed, not recorded: its replies follow the documented
 * shape of `POST /v1/chat/completions`, https://platform.openai.com/docs/api-reference/chat/object,
 * and its 429s OpenAI's rate-limit headers,
 * https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers).
 *
 * It answers each request after `latencyMs` with the text of the last user
 * message prefixed by `echo: `, and enforces a rate limit the way OpenAI
 * quantizes one: `requestsPerMinute / 60` requests in any rolling second;
 * a request over it gets a 429 with `retry-after-ms` and `x-ratelimit-*`.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** Options of {@link startOpenAICompatibleMock}. */
export interface OpenAICompatibleMockOptions {
  /** Time before each answer, in ms. Default 0. */
  latencyMs?: number;
  /** The enforced limit, requests per minute (checked per rolling second). Default: none. */
  requestsPerMinute?: number;
  /** Answer the first N requests with 429 whatever the rate (a storm). Default 0. */
  rejectFirst?: number;
  /** `retry-after-ms` of the storm's 429s. Default 20. */
  stormRetryAfterMs?: number;
}

/** A running mock. */
export interface OpenAICompatibleMock {
  /** `http://127.0.0.1:PORT/v1`, the base URL to give the SDK. */
  readonly baseURL: string;
  /** Counts: all requests, those answered 200, those answered 429. */
  readonly stats: { requests: number; ok: number; rejected: number };
  /** Successful answers per user message text. */
  readonly answered: Map<string, number>;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<any> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  try {
    return JSON.parse(Buffer.concat(parts).toString("utf8"));
  } catch {
    return {};
  }
}

/** Starts the mock on a free port of 127.0.0.1. */
export async function startOpenAICompatibleMock(options: OpenAICompatibleMockOptions = {}): Promise<OpenAICompatibleMock> {
  const stats = { requests: 0, ok: 0, rejected: 0 };
  const answered = new Map<string, number>();
  const perSecond = options.requestsPerMinute ? options.requestsPerMinute / 60 : Number.POSITIVE_INFINITY;
  // Times of the accepted requests in the last second (a ring would do; the window is small).
  let window: number[] = [];
  const server = createServer(async (req, res) => {
    const request = await body(req);
    stats.requests++;
    const now = performance.now();
    window = window.filter((t) => now - t < 1000);
    const storm = stats.requests <= (options.rejectFirst ?? 0);
    if (storm || window.length >= perSecond) {
      stats.rejected++;
      const wait = storm ? (options.stormRetryAfterMs ?? 20) : Math.max(1, Math.ceil(1000 - (now - window[0]!)));
      res.writeHead(429, {
        "content-type": "application/json",
        "retry-after-ms": String(wait),
        "x-ratelimit-limit-requests": String(options.requestsPerMinute ?? 0),
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-requests": `${wait}ms`,
      });
      res.end(JSON.stringify({ error: { message: "Rate limit reached for requests", type: "requests", code: "rate_limit_exceeded" } }));
      return;
    }
    window.push(now);
    const messages: Array<{ role: string; content: unknown }> = request.messages ?? [];
    const last = [...messages].reverse().find((m) => m.role === "user");
    const text = typeof last?.content === "string" ? last.content : JSON.stringify(last?.content ?? "");
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    stats.ok++;
    answered.set(text, (answered.get(text) ?? 0) + 1);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.requestsPerMinute) {
      headers["x-ratelimit-limit-requests"] = String(options.requestsPerMinute);
      headers["x-ratelimit-remaining-requests"] = String(Math.max(0, Math.floor(perSecond - window.length)));
      headers["x-ratelimit-reset-requests"] = "1s";
    }
    res.writeHead(200, headers);
    res.end(
      JSON.stringify({
        id: `chatcmpl-${stats.ok}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: request.model ?? "mock",
        choices: [
          { index: 0, message: { role: "assistant", content: `echo: ${text}`, refusal: null }, logprobs: null, finish_reason: "stop" },
        ],
        usage: {
          prompt_tokens: Math.ceil(text.length / 4),
          completion_tokens: Math.ceil(text.length / 4) + 1,
          total_tokens: 2 * Math.ceil(text.length / 4) + 1,
        },
      }),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    stats,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
