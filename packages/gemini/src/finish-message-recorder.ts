/**
 * Keeping Gemini's `finishMessage` (why a candidate stopped, e.g. "Model
 * generated function call(s).", or why it was blocked), which `@google/genai`
 * drops when it converts a Gemini API response (its `candidateFromMldev`
 * copies `finishReason`, not `finishMessage`): a `fetch` handed to the SDK
 * (`httpOptions.fetch`) reads the messages from the raw reply, whole JSON or
 * server-sent events, while the SDK reads the same bytes.
 *
 * Source: https://ai.google.dev/api/generate-content#candidate (`finishMessage`).
 *
 * @packageDocumentation
 */
import type { Candidate } from "@google/genai";
import type { GeminiResponse } from "./convert-gemini-response.js";

/** A `fetch` that notes finish messages, and what it noted. */
export interface FinishMessageRecorder {
  /** Pass as the client's `httpOptions.fetch`. */
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /**
   * The `finishMessage` of each candidate index (the last one sent), once the
   * replies read so far have been read to their end.
   */
  finishMessages(): Promise<Map<number, string>>;
}

function note(messages: Map<number, string>, payload: unknown): void {
  const candidates = (payload as { candidates?: unknown } | null)?.candidates;
  if (!Array.isArray(candidates)) return;
  for (const [i, c] of candidates.entries()) {
    const candidate = c as { index?: unknown; finishMessage?: unknown } | null;
    if (typeof candidate?.finishMessage === "string")
      messages.set(typeof candidate.index === "number" ? candidate.index : i, candidate.finishMessage);
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads a server-sent-events body, noting the messages of each `data:` payload. */
async function readEvents(body: ReadableStream<Uint8Array>, messages: Map<number, string>): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = "";
  const line = (l: string) => {
    if (l.startsWith("data:")) note(messages, parse(l.slice(5).trim()));
  };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    const lines = buffered.split(/\r?\n/);
    buffered = lines.pop() ?? "";
    for (const l of lines) line(l);
  }
  line(buffered + decoder.decode());
}

/** Node's undici global dispatcher (the symbol undici registers it under). */
const UNDICI_GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

interface Dispatcher {
  dispatch(options: Record<string, unknown>, handler: unknown): unknown;
}

/**
 * A dispatcher without undici's 300 s header and body timeouts, as
 * `@google/genai` adds to its requests on Node unless a `fetch` is given
 * (thinking models may take longer; the `timeout` setting still applies,
 * through the abort signal). `undefined` when Node's fetch is not undici's.
 */
function noTimeoutDispatcher(): Dispatcher | undefined {
  const global = (globalThis as { [UNDICI_GLOBAL_DISPATCHER]?: Dispatcher })[UNDICI_GLOBAL_DISPATCHER];
  if (typeof global?.dispatch !== "function") return undefined;
  return { dispatch: (options, handler) => global.dispatch({ ...options, headersTimeout: 0, bodyTimeout: 0 }, handler) };
}

/**
 * A recorder around `base` (the global `fetch` by default). A JSON reply is
 * read from a copy (`Response.clone()`); a stream's body is split in two
 * (`ReadableStream.tee()`), one branch for the SDK, one read here. A failure
 * to read (an abort) only loses the messages. Requests keep the SDK's
 * no-timeout dispatcher (see `noTimeoutDispatcher`), which it adds only when
 * no `fetch` is given.
 */
export function recordFinishMessages(base: typeof fetch = globalThis.fetch): FinishMessageRecorder {
  const messages = new Map<number, string>();
  const reading: Array<Promise<void>> = [];
  const recording = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const dispatcher = init && !("dispatcher" in init) ? noTimeoutDispatcher() : undefined;
    const response = await base(input, dispatcher ? ({ ...init, dispatcher } as RequestInit) : init);
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok || !response.body) return response;
    if (type.includes("text/event-stream")) {
      const [forSdk, forUs] = response.body.tee();
      reading.push(readEvents(forUs, messages).catch(() => {}));
      return new Response(forSdk, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    if (type.includes("json"))
      reading.push(
        response
          .clone()
          .text()
          .then((t) => note(messages, parse(t)))
          .catch(() => {}),
      );
    return response;
  };
  return {
    fetch: recording,
    finishMessages: async () => {
      await Promise.all(reading);
      return messages;
    },
  };
}

/** The response with each candidate's `finishMessage` set from `messages` where the SDK left it out. */
export function withFinishMessages(response: GeminiResponse, messages: ReadonlyMap<number, string>): GeminiResponse {
  if (messages.size === 0 || !response.candidates) return response;
  const candidates = response.candidates.map((c: Candidate, i) => {
    const message = messages.get(c.index ?? i);
    return message !== undefined && c.finishMessage === undefined ? { ...c, finishMessage: message } : c;
  });
  return { ...response, candidates } as GeminiResponse;
}
