/**
 * A local HTTP server on 127.0.0.1 for provider tests: the real SDK is pointed
 * at it (its base URL), it records every request (method, path, headers, JSON
 * body) and answers with what the test queued: a JSON body with a status and
 * headers, or a server-sent-events stream of recorded chunks, optionally
 * broken off mid-way.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the server received. */
export interface RecordedRequest {
  method: string;
  /** Path with query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingMessage["headers"];
  /** Raw body bytes. */
  raw: Buffer;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  body: any;
}

/** How to answer one request. */
export type Reply =
  | { json: unknown; status?: number; headers?: Record<string, string> }
  | {
      /** Event payloads, each sent as `data: PAYLOAD\n\n` (or with `event:` lines when given as objects). */
      sse: Array<string | { event?: string; data: string }>;
      /** Send `data: [DONE]` at the end (OpenAI does). Default false. */
      done?: boolean;
      /** Destroy the connection after this many events (a stream that breaks). */
      breakAfter?: number;
      /** Delay between events, ms. Default 0. */
      delayMs?: number;
      status?: number;
      headers?: Record<string, string>;
    }
  | { body: Uint8Array | string; status?: number; headers?: Record<string, string> }
  | { hang: true }
  | ((req: RecordedRequest, res: ServerResponse) => void | Promise<void>);

/** A running replay server. */
export interface ReplayServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues replies, used in order; when the queue is empty the fallback (if any) answers, else 500. */
  reply(...replies: Reply[]): void;
  /** Answer every request with this when the queue is empty. */
  fallback(reply: Reply | undefined): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** Starts a replay server on 127.0.0.1 on a free port. */
export async function startReplayServer(): Promise<ReplayServer> {
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  let fallbackReply: Reply | undefined;
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString("utf8")) : undefined;
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, raw, body };
    requests.push(recorded);
    const reply = queue.shift() ?? fallbackReply;
    if (!reply) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "replay server: no reply queued", type: "server_error" } }));
      return;
    }
    if (typeof reply === "function") return reply(recorded, res);
    if ("hang" in reply) return;
    if ("json" in reply) {
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      res.end(JSON.stringify(reply.json));
      return;
    }
    if ("body" in reply) {
      res.writeHead(reply.status ?? 200, reply.headers ?? {});
      res.end(reply.body);
      return;
    }
    res.writeHead(reply.status ?? 200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...reply.headers });
    let sent = 0;
    for (const event of reply.sse) {
      if (reply.breakAfter !== undefined && sent >= reply.breakAfter) {
        res.socket?.destroy();
        return;
      }
      const e = typeof event === "string" ? { data: event } : event;
      res.write(`${e.event ? `event: ${e.event}\n` : ""}data: ${e.data}\n\n`);
      sent++;
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    }
    if (reply.done) res.write("data: [DONE]\n\n");
    res.end();
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...r) => {
      queue.push(...r);
    },
    fallback: (r) => {
      fallbackReply = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
