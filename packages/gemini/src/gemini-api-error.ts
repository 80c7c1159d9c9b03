/**
 * A one-line error for a failed Gemini API call.
 *
 * Source: the error body of Google APIs (https://ai.google.dev/gemini-api/docs/troubleshooting,
 * `google.rpc.Status` with `RetryInfo` details), which `@google/genai`'s
 * `ApiError` carries as its JSON message.
 *
 * @packageDocumentation
 */

/** A Gemini API error: status, the API's status name and message, and the retry delay it asks for. */
export class GeminiApiError extends Error {
  override name = "GeminiApiError";
  constructor(
    message: string,
    /** HTTP status, e.g. 429. */
    readonly status: number,
    /** The API's status name, e.g. `RESOURCE_EXHAUSTED`. */
    readonly code: string | undefined,
    /** The parsed error body. */
    readonly body: unknown,
    /** The delay the API asks for before a retry (`RetryInfo.retryDelay`, e.g. `34.4s`). */
    readonly retryDelay: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type ErrorBody = {
  error?: { code?: number; message?: string; status?: string; details?: Array<{ "@type"?: string; retryDelay?: string }> };
};

/**
 * What to do when Gemini 3 refuses a function call of the chat context sent
 * without its thought signature: the call's output was stored without one
 * (by an older version, or written by hand), and only running that prompt
 * again gets one (https://ai.google.dev/gemini-api/docs/thought-signatures).
 */
const MISSING_SIGNATURE_FIX =
  "an earlier prompt's function call was saved without Gemini's thought signature, e.g. by an older version: run that prompt again";

/**
 * Turns the SDK's `ApiError` (whose message is the JSON error body) into a
 * {@link GeminiApiError} with a one-line message:
 * `Gemini API error 429 RESOURCE_EXHAUSTED: MESSAGE (retry after 34.4s)`;
 * a 400 about a missing `thought_signature` also says which prompt to run
 * again. Other errors are returned as they are.
 */
export function toGeminiApiError(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== "ApiError") return error;
  const status = (error as Error & { status?: number }).status ?? 0;
  let body: ErrorBody | undefined;
  try {
    body = JSON.parse(error.message) as ErrorBody;
  } catch {
    body = undefined;
  }
  const detail = body?.error;
  const retryDelay = detail?.details?.find((d) => d["@type"]?.endsWith("google.rpc.RetryInfo"))?.retryDelay;
  const text = (detail?.message ?? error.message).replace(/\s*\n\s*/g, " ").trim();
  const fix = status === 400 && /thought_?signature/i.test(text) ? ` (${MISSING_SIGNATURE_FIX})` : "";
  const message = `Gemini API error ${status}${detail?.status ? ` ${detail.status}` : ""}: ${text}${retryDelay ? ` (retry after ${retryDelay})` : ""}${fix}`;
  return new GeminiApiError(message, status, detail?.status, body ?? error.message, retryDelay, { cause: error });
}
