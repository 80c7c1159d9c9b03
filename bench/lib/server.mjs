// A tiny OpenAI-compatible server on 127.0.0.1 with no added latency, run as
// its own process so that it does not share an event loop with the clients
// being measured. POST /v1/chat/completions answers the recorded chat
// completion (shared/fixtures/providers/openai/openai-text.json), or, with
// `"stream": true`, the recorded chunks as server-sent events: the first two
// events (the role chunk and the first text) in a first write, the rest in a
// second write on the next turn of the event loop, so that "time to first
// chunk" is not the time to receive the whole 300-chunk body. The final usage
// chunk is sent only when the request asks for it (stream_options.include_usage),
// as the API does (1.1.15 predates that option and fails on a chunk without choices).
//
// Prints {"port": N} on stdout once listening; exits on SIGTERM or when stdin closes.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { openaiFixtures } from "./paths.mjs";

const completion = Buffer.from(JSON.stringify(JSON.parse(readFileSync(openaiFixtures.completion, "utf8"))));
const chunks = readFileSync(openaiFixtures.chunks, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "");
/** The SSE body in two writes; the usage chunk (no choices) only when asked, as the API does. */
function sse(includeUsage) {
  const events = chunks.filter((line) => includeUsage || JSON.parse(line).choices.length > 0).map((line) => `data: ${line}\n\n`);
  events.push("data: [DONE]\n\n");
  return [Buffer.from(events.slice(0, 2).join("")), Buffer.from(events.slice(2).join(""))];
}
const streams = { withUsage: sse(true), withoutUsage: sse(false) };

let requests = 0;
const server = createServer((req, res) => {
  const parts = [];
  req.on("data", (part) => parts.push(part));
  req.on("end", () => {
    requests++;
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: "invalid_request_error" } }));
      return;
    }
    let body;
    try {
      body = JSON.parse(Buffer.concat(parts).toString("utf8"));
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "body is not JSON", type: "invalid_request_error" } }));
      return;
    }
    if (body.stream === true) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const [firstWrite, secondWrite] = body.stream_options?.include_usage ? streams.withUsage : streams.withoutUsage;
      res.write(firstWrite);
      setImmediate(() => res.end(secondWrite));
    } else {
      res.writeHead(200, { "content-type": "application/json", "content-length": completion.length });
      res.end(completion);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
const stop = () => {
  process.stderr.write(`bench server: ${requests} requests\n`);
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
