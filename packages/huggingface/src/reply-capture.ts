/**
 * Keeping what the service answered, beside the SDK: a `fetch` handed to
 * `@huggingface/inference` (its `options.fetch`) that notes the URL of each
 * request and the status, content type and text of each JSON or text reply.
 * With it a reply the SDK refuses (a shape it does not expect) can still be
 * read, and an error can say where the request went and what came back.
 *
 * @packageDocumentation
 */

/** One reply, as the recording `fetch` saw it. */
export interface CapturedReply {
  /** The request's URL. */
  readonly url: string;
  /** The HTTP status; `undefined` when no reply came (the connection failed). */
  readonly status: number | undefined;
  /** The reply's `Content-Type`, `""` when none. */
  readonly contentType: string;
  /** The body's text, for JSON and text replies; `undefined` for streams and bytes. */
  readonly text: string | undefined;
}

/** A `fetch` that records, and what it recorded last. */
export interface ReplyRecorder {
  /** Pass as the SDK call's `fetch` option. */
  readonly fetch: typeof fetch;
  /** The last request sent (and its reply, once it came). */
  last(): CapturedReply | undefined;
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === "string") return input;
  return input instanceof URL ? input.href : input.url;
}

/**
 * A recorder around `base` (the global `fetch` by default). It reads a copy
 * (`Response.clone()`) of JSON and text bodies, so the SDK still gets the
 * whole reply; streams (`text/event-stream`) and bytes are not copied.
 */
export function recordReplies(base: typeof fetch = globalThis.fetch): ReplyRecorder {
  let last: CapturedReply | undefined;
  const recording: typeof fetch = async (input, init) => {
    const url = urlOf(input);
    last = { url, status: undefined, contentType: "", text: undefined };
    const response = await base(input, init);
    const contentType = response.headers.get("content-type") ?? "";
    const readable = /json|^text\/(?!event-stream)/i.test(contentType);
    last = { url, status: response.status, contentType, text: readable ? await response.clone().text() : undefined };
    return response;
  };
  return { fetch: recording, last: () => last };
}

/** The JSON a captured reply holds, else its text, else `undefined`. */
export function capturedBody(reply: CapturedReply | undefined): unknown {
  if (reply?.text === undefined) return undefined;
  try {
    return JSON.parse(reply.text);
  } catch {
    return reply.text;
  }
}
