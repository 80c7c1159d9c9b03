/**
 * What a failed call to a Hugging Face service becomes: one line naming the
 * task, the model, the service and URL, what the service said, and the fix
 * when there is a known one. No SDK error class, JavaScript `TypeError` or
 * stack reaches the user.
 *
 * @packageDocumentation
 */
import { AIConfigError, ProviderResponseError } from "@aiconfig-ts/core";
import { type CapturedReply, capturedBody } from "./reply-capture.js";
import { replyExcerpt } from "./reply-shapes.js";

/** Where a call went: the task, the model and the route (see `HuggingFaceRequest`). */
export interface ServiceCall {
  /** The provider id, e.g. `Text Generation`. */
  readonly task: string;
  /** The Hub model id. */
  readonly model: string;
  /** The endpoint URL, when one is set. */
  readonly endpointUrl?: string | undefined;
  /** The Inference Provider, when no endpoint is set. */
  readonly provider?: string | undefined;
}

/**
 * A Hugging Face service answered with an error, or could not be reached.
 * `url` is where the request went; `status` the HTTP status (`200` for an
 * error sent inside a stream, `undefined` when no reply came).
 */
export class HuggingFaceServiceError extends AIConfigError {
  override name = "HuggingFaceServiceError";
  /**
   * @param message one line: task, model, service, URL, what it said and the fix
   * @param url where the request went
   * @param status the reply's HTTP status
   */
  constructor(
    message: string,
    readonly url: string | undefined,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A chat request went to a model that has no chat template (the service
 * answers 422 `template_error`): the model is not a chat model; the message
 * suggests the `"api": "text-generation"` setting.
 */
export class NoChatTemplateError extends HuggingFaceServiceError {
  override name = "NoChatTemplateError";
}

/** The service answered with a reply of a shape the task cannot read; the message shows what came back. */
export class UnexpectedReplyError extends HuggingFaceServiceError {
  override name = "UnexpectedReplyError";
}

/** How a call's service is named in messages: `the endpoint` or `Hugging Face Inference (provider P)`. */
export function serviceName(call: ServiceCall): string {
  return call.endpointUrl ? "the endpoint" : `Hugging Face Inference (provider ${call.provider ?? "auto"})`;
}

function prefix(call: ServiceCall): string {
  return `Hugging Face ${call.task} (${call.model})`;
}

/** The service's own message in an error body: `error` (text or `{message}`), `message` or `detail`. */
export function serviceMessage(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim() || undefined;
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as { error?: unknown; message?: unknown; detail?: unknown };
  if (typeof b.error === "string") return b.error;
  if (typeof b.error === "object" && b.error !== null && typeof (b.error as { message?: unknown }).message === "string")
    return (b.error as { message: string }).message;
  if (typeof b.message === "string") return b.message;
  if (typeof b.detail === "string") return b.detail;
  return undefined;
}

/**
 * The fix for a too-large `max_new_tokens`, from text-generation-inference's
 * validation message ("`inputs` tokens + `max_new_tokens` must be <= 4096.
 * Given: 17 `inputs` tokens and 10000 `max_new_tokens`"); `""` for other messages.
 */
export function maxTokensHint(message: string): string {
  const limit = /must be <= (\d+)\. Given: (\d+) `inputs` tokens/.exec(message);
  if (limit) {
    const most = Number(limit[1]) - Number(limit[2]);
    return `: set the max_new_tokens setting (or max_tokens) to at most ${most} (the model takes ${limit[1]} tokens, input included)`;
  }
  if (/max_new_tokens|max_tokens/.test(message)) return ": lower the max_new_tokens setting (or max_tokens)";
  return "";
}

function statusHint(call: ServiceCall, status: number): string {
  if (status === 401 || status === 403)
    return ": check the access token (HF_TOKEN, or the api_token setting) and that it may use this model";
  if (status === 404)
    return call.endpointUrl
      ? `: check the model setting ("${call.model}") and the endpoint's address (the endpoint_url setting, or HF_INFERENCE_ENDPOINT)`
      : `: check the model setting ("${call.model}") names a model the provider serves`;
  if (status === 429) return ": the rate limit was reached; wait, or use another provider";
  if (status === 503) return ": the model is loading or the service is busy; run again in a minute";
  return "";
}

function isTemplateError(body: unknown, message: string): boolean {
  const type = typeof body === "object" && body !== null ? (body as { error_type?: unknown }).error_type : undefined;
  return type === "template_error" || /template not found|chat template/i.test(message);
}

interface SdkHttpError {
  name: string;
  message: string;
  httpRequest?: { url?: string };
  httpResponse?: { status?: number; body?: unknown };
}

/**
 * The error a failed SDK call becomes.
 * - an abort stays what it is (the runtime handles it);
 * - an error the service sent (HTTP error, or an error event in a 200
 *   stream): {@link HuggingFaceServiceError} with the service's own message
 *   and the fix where one is known (token, model, `max_new_tokens`), or
 *   {@link NoChatTemplateError} for a chat request to a model without a chat template;
 * - no reply at all (connection refused, DNS): {@link HuggingFaceServiceError} naming the URL;
 * - anything else from the SDK (input or routing errors, a `TypeError` on a
 *   reply it could not read): {@link HuggingFaceServiceError} or
 *   {@link UnexpectedReplyError} showing what came back.
 *
 * @param error what the SDK threw
 * @param call the task, model and route
 * @param reply the last request and reply (see `recordReplies`)
 * @param chat whether the request was a chat completion
 */
export function toServiceError(error: unknown, call: ServiceCall, reply: CapturedReply | undefined, chat = false): unknown {
  // A refused connection reported by core's providerFetch is said in this provider's words (endpoint_url, not base_url).
  const refused = ProviderResponseError.isInstance(error) && error.kind === "connection";
  if (error instanceof AIConfigError && !refused) return error;
  const e = error as SdkHttpError;
  if (e?.name === "AbortError" || e?.name === "TimeoutError") return error;
  const service = serviceName(call);
  if (e?.name === "ProviderApiError" || e?.name === "HubApiError") {
    const url = e.httpRequest?.url ?? reply?.url;
    const status = e.httpResponse?.status ?? reply?.status;
    const body = e.httpResponse?.body;
    const said = serviceMessage(body) ?? e.message.replace(/^Failed to perform inference: /, "");
    if (status === 200 || status === undefined) {
      const text = said.replace(/^an occurred while streaming the response: /, "");
      return new HuggingFaceServiceError(
        `${prefix(call)}: ${service} at ${url} sent an error in its stream: ${text}${maxTokensHint(text)}`,
        url,
        status,
        { cause: error },
      );
    }
    if (chat && status === 422 && isTemplateError(body, said)) {
      return new NoChatTemplateError(
        `${prefix(call)}: ${service} at ${url} answered 422 "${said}": the model has no chat template, so it takes no chat messages; set the setting "api" to "text-generation" to send the prompt's text for it to continue`,
        url,
        status,
        { cause: error },
      );
    }
    return new HuggingFaceServiceError(
      `${prefix(call)}: ${service} at ${url} answered ${status}: ${said}${statusHint(call, status) || maxTokensHint(said)}`,
      url,
      status,
      { cause: error },
    );
  }
  if (reply && reply.status === undefined) {
    let cause = (error as { cause?: { code?: string; message?: string; cause?: unknown } })?.cause;
    if (refused) cause = (cause?.cause as typeof cause) ?? cause; // providerFetch's error wraps fetch's, which holds the code
    return new HuggingFaceServiceError(
      `${prefix(call)}: could not reach ${service} at ${reply.url} (${cause?.code ?? cause?.message ?? (error as Error)?.message}): check the address and your connection`,
      reply.url,
      undefined,
      { cause: error },
    );
  }
  if (e?.name === "InputError" || e?.name === "RoutingError") {
    return new HuggingFaceServiceError(`${prefix(call)}: ${e.message}`, reply?.url, reply?.status, { cause: error });
  }
  return unexpectedReply(call, reply, capturedBody(reply), error);
}

/**
 * A {@link UnexpectedReplyError}: the service answered, but not in a shape
 * the task reads. Names the service, the URL and shows what came back.
 * @param what the reply (its JSON), shown cut short
 */
export function unexpectedReply(call: ServiceCall, reply: CapturedReply | undefined, what: unknown, cause?: unknown): UnexpectedReplyError {
  const url = reply?.url ?? call.endpointUrl ?? "(unknown URL)";
  return new UnexpectedReplyError(
    `${prefix(call)}: ${serviceName(call)} at ${url} answered${reply?.status ? ` ${reply.status}` : ""} with a reply this task cannot read: ${replyExcerpt(what)}`,
    url,
    reply?.status,
    cause === undefined ? undefined : { cause },
  );
}
