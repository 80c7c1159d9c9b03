/**
 * The `fetch` every provider gives its SDK, so that faults of a provider's
 * server end the same way for every provider (issue 9, "Faults"):
 * - `timeout` bounds the wait for the reply's headers and every gap between
 *   chunks of its body: a stream that stalls after its headers fails;
 * - retries (408, 409, 429, 5xx, connection errors; `max_retries`) wait as the
 *   server's `Retry-After` / `retry-after-ms` asks, but at most
 *   `max_retry_wait`, and say so through `warn` (stderr by default);
 * - a connection error names the URL (never with credentials or query);
 * - a 2xx reply of HTML says so ("the server at URL answered text/html, not
 *   JSON") instead of a TypeError later, and so does one of JSON that does
 *   not parse, when the SDK reads it;
 * - a reply larger than `max_response_bytes` is cut off with an error.
 * A reply is handed to the SDK as fetch gave it unless a limit needs
 * watching: its body is wrapped only with a `timeout` (gaps) or when its
 * size is not declared (no `Content-Length`, or compressed); a JSON reply
 * (fetch's, or the one over the wrapped body) is checked when the SDK reads it: `json()`
 * rejects with the one-line error when the body does not parse (see
 * `checked-json-reply.ts`), so the SDK's parse is the only one and nothing
 * is read before it asks.
 * Errors are {@link ProviderResponseError}s; SDKs wrap what `fetch` throws
 * (e.g. OpenAI's "Connection error."), so providers unwrap it with
 * {@link findProviderFault}. Browser-safe (global `fetch`, web streams).
 *
 * Sources: RFC 9110 §10.2.3 (Retry-After: seconds or an HTTP date); the
 * retry rules of the `openai` and `@anthropic-ai/sdk` clients (which statuses,
 * `retry-after-ms`, exponential backoff from 0.5 s to 8 s with jitter).
 *
 * @packageDocumentation
 */
import { ProviderResponseError } from "../errors.js";
import { checkedJSONReply } from "./checked-json-reply.js";
import { displayURL } from "./read-credential.js";

/** Default `max_retry_wait`: the longest wait before a retry, in milliseconds (60 s). */
export const DEFAULT_MAX_RETRY_WAIT = 60_000;
/** Default `max_response_bytes`: the largest reply body kept, in bytes (64 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Default `max_retries`. */
export const DEFAULT_MAX_RETRIES = 2;

/** How a provider's requests are sent (see {@link providerFetch}). */
export interface ProviderFetchOptions {
  /** The service, for messages, e.g. `OpenAI`. */
  readonly service: string;
  /** Longest wait for the headers and between chunks of the body, in milliseconds; none when absent. */
  readonly timeout?: number;
  /** Retries of a failed request (408, 409, 429, 5xx, connection errors); default {@link DEFAULT_MAX_RETRIES}. */
  readonly maxRetries?: number;
  /** Longest wait before a retry, in milliseconds, whatever `Retry-After` asks; default {@link DEFAULT_MAX_RETRY_WAIT}. */
  readonly maxRetryWait?: number;
  /** Largest reply body, in bytes; default {@link DEFAULT_MAX_RESPONSE_BYTES}. */
  readonly maxResponseBytes?: number;
  /** Says what the client is doing (waiting to retry); default: a line on stderr. */
  readonly warn?: (message: string) => void;
  /** The `fetch` to wrap (default: the global one). */
  readonly fetch?: typeof fetch;
}

/** Writes a line on stderr (or the console, in a browser). */
export function warnOnStderr(message: string): void {
  const stderr = (globalThis as { process?: { stderr?: { write(text: string): unknown } } }).process?.stderr;
  if (stderr) stderr.write(`${message}\n`);
  else console.warn(message);
}

const RETRY_STATUSES = new Set([408, 409, 429]);

function shouldRetry(status: number, headers: Headers): boolean {
  const told = headers.get("x-should-retry");
  if (told === "true") return true;
  if (told === "false") return false;
  return RETRY_STATUSES.has(status) || status >= 500;
}

/**
 * How long a reply asks to wait before a retry, in milliseconds: `retry-after-ms`,
 * else `Retry-After` (seconds or an HTTP date); `undefined` when it does not say.
 */
export function requestedRetryWait(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The backoff when the server does not say: 0.5 s doubling up to 8 s, minus up to 25% jitter (as the OpenAI and Anthropic SDKs do). */
function backoff(retry: number): number {
  return Math.min(500 * 2 ** retry, 8000) * (1 - Math.random() * 0.25);
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${Number((ms / 1000).toFixed(2))} s`;
}

function urlOf(input: RequestInfo | URL): string {
  return typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
}

function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", abort, { once: true });
  });
}

function connectionMessage(service: string, url: string, error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  const why =
    code === "ECONNREFUSED"
      ? "connection refused"
      : code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? "host not found"
        : code === "ECONNRESET"
          ? "connection reset"
          : (code ?? (typeof cause?.message === "string" ? cause.message : "the request failed"));
  return `could not reach ${service} at ${url}: ${why}${code && why !== code ? ` (${code})` : ""}; check the URL (base_url or the environment) and that the server is running`;
}

/** Whether a body can be sent again (a stream cannot). */
function resendable(init: RequestInit | undefined, input: RequestInfo | URL): boolean {
  if (typeof Request !== "undefined" && input instanceof Request) return input.body === null;
  const body = init?.body;
  return !(typeof ReadableStream !== "undefined" && body instanceof ReadableStream);
}

/**
 * Wraps a body so that every gap between chunks is bounded by `timeout` and
 * the total by `maxBytes`; either fault errors the stream with a {@link ProviderResponseError}.
 */
function guardBody(
  body: ReadableStream<Uint8Array>,
  url: string,
  options: Required<Pick<ProviderFetchOptions, "service">> & ProviderFetchOptions,
  maxBytes: number,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let received = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled =
        options.timeout !== undefined && options.timeout > 0
          ? new Promise<never>((_, reject) => {
              timer = setTimeout(
                () =>
                  reject(
                    new ProviderResponseError(
                      url,
                      "timeout",
                      `${options.service} at ${url} sent nothing for ${seconds(options.timeout ?? 0)} in the middle of its reply (timeout): the server stalled; try again, or raise the timeout setting (milliseconds)`,
                    ),
                  ),
                options.timeout,
              );
            })
          : undefined;
      try {
        const { done, value } = await (stalled ? Promise.race([reader.read(), stalled]) : reader.read());
        if (done) return controller.close();
        received += value.byteLength;
        if (received > maxBytes) {
          throw new ProviderResponseError(
            url,
            "too-large",
            `the reply of ${options.service} at ${url} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB (max_response_bytes): cut off; raise max_response_bytes (bytes) if it should be kept`,
          );
        }
        controller.enqueue(value);
      } catch (error) {
        reader.cancel(error).catch(() => {});
        controller.error(error);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** The media type of a reply (`application/json` of `application/json; charset=utf-8`), lower case. */
function mediaType(response: Response): string {
  const type = response.headers.get("content-type");
  if (type === null) return "";
  const semicolon = type.indexOf(";");
  return (semicolon === -1 ? type : type.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * The media type of a 2xx reply whose JSON body must be checked, `undefined`
 * for any other reply (handed on as it is).
 * @throws {ProviderResponseError} (`not-json`) for an HTML reply: the URL is not the service's API
 */
function jsonReplyType(response: Response, url: () => string, options: ProviderFetchOptions): string | undefined {
  const type = mediaType(response);
  if (type === "text/html" || type === "application/xhtml+xml") {
    response.body?.cancel().catch(() => {});
    throw new ProviderResponseError(
      url(),
      "not-json",
      `the server at ${url()} answered ${type}, not JSON: it is not a ${options.service} API; check the URL (base_url or the environment)`,
    );
  }
  return (type === "application/json" || type.endsWith("+json")) && response.body !== null ? type : undefined;
}

/** A response like `response` with another body. */
function rebuilt(response: Response, body: ReadableStream<Uint8Array> | null): Response {
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * Makes the `fetch` a provider gives its SDK (see the module docs). Give the
 * SDK `maxRetries: 0` (this fetch retries) and no console logger.
 */
export function providerFetch(options: ProviderFetchOptions): typeof fetch {
  const base = options.fetch ?? globalThis.fetch.bind(globalThis);
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxWait = options.maxRetryWait ?? DEFAULT_MAX_RETRY_WAIT;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const warn = options.warn ?? warnOnStderr;
  const timeout = options.timeout !== undefined && options.timeout > 0 ? options.timeout : undefined;
  const guarded = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // Formatted only for a message or a guarded body: the success path builds no string.
    let shown: string | undefined;
    const url = () => (shown ??= displayURL(urlOf(input)));
    const outer = init?.signal ?? (typeof Request !== "undefined" && input instanceof Request ? input.signal : undefined);
    for (let attempt = 0; ; attempt++) {
      // Without a timeout the caller's request goes to fetch as it is: no controller, signal or copy of `init` per request.
      let headersTimeout: AbortController | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let sent = init;
      if (timeout !== undefined) {
        const controller = new AbortController();
        headersTimeout = controller;
        sent = { ...init, signal: outer ? AbortSignal.any([outer, controller.signal]) : controller.signal };
        timer = setTimeout(
          () =>
            controller.abort(
              new ProviderResponseError(
                url(),
                "timeout",
                `${options.service} at ${url()} did not answer within ${seconds(timeout)} (timeout): try again, or raise the timeout setting (milliseconds)`,
              ),
            ),
          timeout,
        );
      }
      let response: Response;
      try {
        response = await base(input, sent);
      } catch (error) {
        if (outer?.aborted) throw error;
        if (headersTimeout?.signal.aborted) throw headersTimeout.signal.reason;
        if (attempt < maxRetries && resendable(init, input)) {
          const wait = backoff(attempt);
          warn(`${options.service}: could not reach ${url()}; retrying in ${seconds(wait)} (attempt ${attempt + 2} of ${maxRetries + 1})`);
          await sleep(wait, outer);
          continue;
        }
        throw new ProviderResponseError(url(), "connection", connectionMessage(options.service, url(), error), { cause: error });
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }
      if (!response.ok && attempt < maxRetries && shouldRetry(response.status, response.headers) && resendable(init, input)) {
        const asked = requestedRetryWait(response.headers);
        const wait = Math.min(asked ?? backoff(attempt), maxWait);
        response.body?.cancel().catch(() => {});
        warn(
          `${options.service} answered ${response.status}${asked !== undefined ? ` and asked to wait ${seconds(asked)}` : ""}; waiting ${seconds(wait)}${
            asked !== undefined && asked > maxWait ? ` (max_retry_wait)` : ""
          } before retrying (attempt ${attempt + 2} of ${maxRetries + 1})`,
        );
        await sleep(wait, outer);
        continue;
      }
      const declared = response.headers.get("content-length");
      const length = declared === null ? Number.NaN : Number(declared);
      if (Number.isFinite(length) && length > maxBytes) {
        response.body?.cancel().catch(() => {});
        throw new ProviderResponseError(
          url(),
          "too-large",
          `the reply of ${options.service} at ${url()} is ${Math.round(length / 1024 / 1024)} MB, larger than ${Math.round(maxBytes / 1024 / 1024)} MB (max_response_bytes): not read; raise max_response_bytes (bytes) if it should be kept`,
        );
      }
      // The body is wrapped only when a limit needs watching: gaps (a timeout), or the size of a body
      // whose length is not declared (fetch itself refuses a body longer than its Content-Length).
      // A compressed body's length says nothing of what it decodes to.
      const encoded = (response.headers.get("content-encoding") ?? "identity") !== "identity";
      const guard =
        timeout !== undefined || !Number.isFinite(length) || encoded
          ? (body: ReadableStream<Uint8Array>) => guardBody(body, url(), options, maxBytes)
          : undefined;
      // A 2xx reply: HTML is an error; a JSON body must parse, which its json() checks when the SDK reads it
      // (the SDK's parse is the only one; see checkedJSONReply). Without a limit to watch, fetch's own body is read.
      const type = response.ok ? jsonReplyType(response, url, options) : undefined;
      const handed = guard && response.body ? rebuilt(response, guard(response.body)) : response;
      return type === undefined ? handed : checkedJSONReply(handed, type, url);
    }
  };
  return guarded as typeof fetch;
}

/**
 * The {@link ProviderResponseError} behind an SDK's error (SDKs wrap what
 * `fetch` throws, e.g. OpenAI's `APIConnectionError` "Connection error."),
 * searching the `cause` chain; `undefined` when there is none.
 */
export function findProviderFault(error: unknown): ProviderResponseError | undefined {
  const seen = new Set<unknown>();
  for (let e = error; e !== undefined && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    if (ProviderResponseError.isInstance(e)) return e;
    if (typeof e !== "object") break;
  }
  return undefined;
}

/**
 * Runs a provider's request; an error caused by a fault that
 * {@link providerFetch} found is replaced by that fault's one-line error.
 */
export async function withProviderFaults<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const fault = findProviderFault(error);
    if (fault && fault !== error) throw fault;
    throw error;
  }
}

/** Settings every networked provider reads for {@link providerFetch}, as JSON Schema properties. */
export const providerFetchSettingsProperties: Readonly<Record<string, { [key: string]: unknown }>> = {
  max_retry_wait: {
    type: "integer",
    minimum: 0,
    default: DEFAULT_MAX_RETRY_WAIT,
    description: "Longest wait before a retry, in milliseconds, whatever the server's Retry-After asks (default 60000).",
  },
  max_response_bytes: {
    type: "integer",
    minimum: 1,
    default: DEFAULT_MAX_RESPONSE_BYTES,
    description: "Largest reply kept, in bytes (default 64 MiB); a larger one is cut off with an error.",
  },
};

/**
 * The {@link providerFetch} options from a prompt's settings (`timeout`,
 * `max_retries`, `max_retry_wait`, `max_response_bytes`, each used when it is
 * a number >= 0).
 */
export function providerFetchSettings(
  settings: Readonly<Record<string, unknown>>,
): Pick<ProviderFetchOptions, "timeout" | "maxRetries" | "maxRetryWait" | "maxResponseBytes"> {
  const number = (key: string) => {
    const v = settings[key];
    return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;
  };
  const out: { timeout?: number; maxRetries?: number; maxRetryWait?: number; maxResponseBytes?: number } = {};
  const timeout = number("timeout");
  if (timeout !== undefined) out.timeout = timeout;
  const maxRetries = number("max_retries");
  if (maxRetries !== undefined) out.maxRetries = maxRetries;
  const maxRetryWait = number("max_retry_wait");
  if (maxRetryWait !== undefined) out.maxRetryWait = maxRetryWait;
  const maxResponseBytes = number("max_response_bytes");
  if (maxResponseBytes !== undefined) out.maxResponseBytes = maxResponseBytes;
  return out;
}
