/**
 * A 2xx JSON reply that `providerFetch` hands to the SDK as the same
 * `Response` object, checked when its body is read: `json()` reads the body
 * with the platform's own `text()`, parses it once and hands out the value;
 * a body that does not parse rejects with a {@link ProviderResponseError}
 * (`not-json`) quoting its start, instead of a `SyntaxError` deep in the SDK.
 * `text()` checks the same way and gives the text; `clone()` gives a checked
 * reply too. Nothing is read before the SDK asks: no promise and no turn of
 * the event loop is added between the reply's headers and the SDK's parse,
 * which is what the raw SDK call does (most of a run's overhead over it on a
 * local server was that extra read).
 *
 * The reply keeps its status, headers, URL and body (they are the fetched
 * response's own); `body`, `bodyUsed`, `arrayBuffer()`, `blob()`,
 * `formData()` and `bytes()` are the platform's, unchecked (bytes are not read
 * as JSON text). As with any `Response`, the body can be read once.
 *
 * Source: the Fetch standard's body mixin (https://fetch.spec.whatwg.org/#body-mixin).
 *
 * @packageDocumentation
 */
import { ProviderResponseError } from "../errors.js";

/** What a checked reply's messages name. */
interface ReplyCheck {
  /** The reply's media type, e.g. `application/json`. */
  readonly type: string;
  /** The URL as shown in messages (no credentials or query), formatted only for a message. */
  readonly url: () => string;
}

const CHECK: unique symbol = Symbol("aiconfig-ts JSON reply check");

type CheckedReply = Response & { [CHECK]: ReplyCheck };

/**
 * The value of a JSON reply's text.
 * @throws {ProviderResponseError} (`not-json`) when it does not parse, quoting its start
 */
function parseReply(text: string, check: ReplyCheck): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderResponseError(
      check.url(),
      "not-json",
      `the server at ${check.url()} answered ${check.type} that is not valid JSON (${JSON.stringify(text.slice(0, 60))}${text.length > 60 ? "…" : ""}): check the URL (base_url or the environment) and the server`,
    );
  }
}

let prototype: object | undefined;

/** The prototype of checked replies: `Response.prototype` with `json()`, `text()` and `clone()` checking. */
function checkedReplyPrototype(): object {
  if (prototype) return prototype;
  const { text, clone } = Response.prototype;
  prototype = Object.create(Response.prototype, {
    json: {
      value(this: CheckedReply): Promise<unknown> {
        const check = this[CHECK];
        return text.call(this).then((body) => parseReply(body, check));
      },
    },
    text: {
      value(this: CheckedReply): Promise<string> {
        const check = this[CHECK];
        return text.call(this).then((body) => {
          parseReply(body, check);
          return body;
        });
      },
    },
    clone: {
      value(this: CheckedReply): Response {
        const check = this[CHECK];
        return checkedJSONReply(clone.call(this), check.type, check.url);
      },
    },
  }) as object;
  return prototype;
}

/**
 * Turns `response`, a 2xx reply whose body is JSON by its media type and not
 * read yet, into a checked reply (see the module docs): the same object.
 * @param response a fetched response whose body has not been read
 * @param type its media type, for messages (e.g. `application/json`)
 * @param url the URL as messages show it (no credentials or query), called only for a message
 * @returns `response` itself
 */
export function checkedJSONReply(response: Response, type: string, url: () => string): Response {
  // The property first: added after the prototype changes, it costs V8 a new map each time (microseconds).
  (response as CheckedReply)[CHECK] = { type, url };
  Object.setPrototypeOf(response, checkedReplyPrototype());
  return response;
}
