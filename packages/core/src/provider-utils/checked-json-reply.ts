/**
 * A JSON reply whose body `providerFetch` has already read and parsed (to
 * check it is JSON) handed on as the same `Response` object, without a second
 * `Response` over the text: building one costs a `ReadableStream` and a
 * `Headers` copy per request (tens of microseconds on Node 20, most of a run's
 * overhead over the raw SDK call on a local server).
 *
 * The reply keeps its status, headers and URL (they are the fetched
 * response's own); its body methods answer from what was read: `json()` gives
 * the value already parsed (once: the SDK's parse is the only use on the hot
 * path), `text()` the text, and everything else (`body`, `clone()`,
 * `arrayBuffer()`, `blob()`, `bytes()`, `formData()`, or `json()` after a
 * clone) goes to a `Response` over the text, made only then. As with any
 * `Response`, the body can be read once (`bodyUsed`), after which reading it
 * again rejects with a `TypeError`.
 *
 * Source: the Fetch standard's body mixin (https://fetch.spec.whatwg.org/#body-mixin).
 *
 * @packageDocumentation
 */

/** What a checked reply holds in place of its body. */
interface ReadBody {
  readonly text: string;
  /** The parsed value, until `json()` hands it out. */
  value: unknown;
  used: boolean;
  /** A `Response` over the text, made when something other than `json()`/`text()` is asked for. */
  copy: Response | undefined;
}

const READ_BODY: unique symbol = Symbol("aiconfig-ts read body");

type CheckedReply = Response & { [READ_BODY]: ReadBody };

function bodyOf(reply: Response): ReadBody {
  return (reply as CheckedReply)[READ_BODY];
}

/** The `Response` over the text that answers every body method once one of them needed it (read already when the body was). */
function copyOf(reply: Response): Response {
  const body = bodyOf(reply);
  if (body.copy === undefined) {
    body.copy = new Response(body.text, { status: reply.status, statusText: reply.statusText, headers: reply.headers });
    // A body read already stays read (cancelling disturbs the stream: bodyUsed is true and reads reject).
    if (body.used) body.copy.body?.cancel().catch(() => {});
  }
  return body.copy;
}

/** `json()` or `text()`: from what was read (once), or from the copy once there is one. */
function read(reply: Response, as: "json" | "text"): Promise<never> {
  const body = bodyOf(reply);
  if (body.copy) return body.copy[as]() as Promise<never>;
  if (body.used) return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
  body.used = true;
  const value = as === "json" ? body.value : body.text;
  body.value = undefined;
  return Promise.resolve(value as never);
}

let prototype: object | undefined;

/** The prototype of checked replies: `Response.prototype` with the body members answered from the text read. */
function checkedReplyPrototype(): object {
  prototype ??= Object.create(Response.prototype, {
    json: {
      value(this: Response): Promise<unknown> {
        return read(this, "json");
      },
    },
    text: {
      value(this: Response): Promise<string> {
        return read(this, "text");
      },
    },
    arrayBuffer: {
      value(this: Response): Promise<ArrayBuffer> {
        return copyOf(this).arrayBuffer();
      },
    },
    blob: {
      value(this: Response): Promise<Blob> {
        return copyOf(this).blob();
      },
    },
    formData: {
      value(this: Response): Promise<FormData> {
        return copyOf(this).formData();
      },
    },
    clone: {
      value(this: Response): Response {
        return copyOf(this).clone();
      },
    },
    body: {
      get(this: Response): ReadableStream<Uint8Array> | null {
        return copyOf(this).body;
      },
    },
    bodyUsed: {
      get(this: Response): boolean {
        const body = bodyOf(this);
        return body.copy ? body.copy.bodyUsed : body.used;
      },
    },
    // Where the platform has it (Node 20.16+, recent browsers).
    ...("bytes" in Response.prototype
      ? {
          bytes: {
            value(this: Response): Promise<Uint8Array> {
              return (copyOf(this) as Response & { bytes(): Promise<Uint8Array> }).bytes();
            },
          },
        }
      : {}),
  }) as object;
  return prototype;
}

/**
 * Turns `response`, whose body was read as `text` and parsed to `value`, into
 * a checked reply (see the module docs): the same object, its body members
 * answered from `text` and `value`.
 * @param response a fetched response whose body has been read whole (e.g. by `text()`)
 * @param text the body as read
 * @param value `JSON.parse(text)`
 * @returns `response` itself
 */
export function checkedJSONReply(response: Response, text: string, value: unknown): Response {
  // The property first: added after the prototype changes, it costs V8 a new map each time (microseconds).
  (response as CheckedReply)[READ_BODY] = { text, value, used: false, copy: undefined };
  Object.setPrototypeOf(response, checkedReplyPrototype());
  return response;
}
