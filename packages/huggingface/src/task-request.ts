/**
 * What every task's request holds (the model and where it goes), and the
 * pieces every task's `run` shares: the SDK call's common arguments, its
 * options and the outputs it stores.
 *
 * @packageDocumentation
 */
import {
  type ExecuteResult,
  type JSONObject,
  type JSONSchema,
  type ModelSettings,
  type ResolveContext,
  providerFetch,
  providerFetchSettings,
  type RunContext,
  readSettings,
} from "@aiconfig-ts/core";
import { readAccessToken, resolveRoute } from "./connection.js";
import { MissingAccessTokenError } from "./errors.js";
import { mediaTypeOf } from "./media-type.js";
import { resolveModelId } from "./model-id.js";
import { type CapturedReply, capturedBody, recordReplies } from "./reply-capture.js";
import { toServiceError, unexpectedReply } from "./service-errors.js";

/**
 * A request of one of this package's providers: built by `resolve` without
 * sending anything, sent by `run`. It holds no access token (run reads it).
 *
 * @typeParam Args the task's SDK arguments besides model, route and token
 *   (e.g. `{inputs, parameters}`)
 */
export interface HuggingFaceRequest<Args extends JSONObject = JSONObject> {
  /** The provider id, e.g. `Summarization`. */
  task: string;
  /** The Hub model id, e.g. `facebook/bart-large-cnn`. */
  model: string;
  /** Full URL of the server the request goes to, when an endpoint is set (see `resolveRoute`). */
  endpointUrl?: string;
  /** The Inference Provider, when no endpoint is set. */
  provider?: string;
  /** The task's arguments, as the SDK takes them. */
  args: Args;
}

/**
 * The prompt's settings a task reads, checked against the task's settings
 * schema by core's `readSettings`: the settings the schema lists, as given
 * (the others are left out; no default is filled in, so the server's apply).
 * @param task the provider id, for messages
 * @throws {InvalidSettingError} (core) for a setting of the wrong type or out
 *   of range: `prompt "NAME" (Hugging Face TASK): setting "KEY" must be WHAT, got VALUE`
 */
export function taskSettings(ctx: ResolveContext, task: string, schema: JSONSchema): ModelSettings {
  return readSettings<ModelSettings>(schema, ctx.settings, `prompt "${ctx.prompt.name}" (Hugging Face ${task})`, { defaults: false });
}

/**
 * The model and route of a prompt's request (see `resolveModelId` and `resolveRoute`).
 * @param task the provider id
 * @param defaultModel the task's default Hub model
 * @param settings the task's settings (see {@link taskSettings})
 */
export function requestBase(
  ctx: ResolveContext,
  task: string,
  defaultModel: string,
  settings: Readonly<ModelSettings>,
): Omit<HuggingFaceRequest, "args"> {
  const model = resolveModelId(settings, ctx.model, defaultModel);
  return { task, model, ...resolveRoute(settings, ctx.env, model) };
}

/** The SDK's common call arguments: model, route and access token. */
export interface CallArgs {
  model: string;
  endpointUrl?: string;
  provider?: any;
  accessToken?: string;
}

/**
 * The SDK call's common arguments for a request.
 * @throws {MissingAccessTokenError} when no token is set and the request goes
 *   to Hugging Face's servers (no endpoint set).
 * @throws {EndpointNotAllowedError} (core) when the token would go to an endpoint a less trusted source chose.
 */
export function callArgs(request: HuggingFaceRequest, ctx: RunContext): CallArgs {
  const accessToken = readAccessToken({
    settings: ctx.settings,
    env: ctx.env,
    prompt: ctx.prompt.name,
    allowedEndpoints: ctx.allowedEndpoints,
    required: !request.endpointUrl,
    missing: () => new MissingAccessTokenError(ctx.prompt.name, request.task, ctx.configDir),
  });
  const args: CallArgs = { model: request.model };
  if (request.endpointUrl) args.endpointUrl = request.endpointUrl;
  else if (request.provider) args.provider = request.provider;
  if (accessToken) args.accessToken = accessToken;
  return args;
}

/** The SDK call's options (`@huggingface/inference`'s `Options`). */
export interface CallOptions {
  /** The run's abort signal. */
  signal: AbortSignal;
  /** Always `false`: the SDK would retry a 503 at once and without end while a model loads. */
  retry_on_error: boolean;
  /** A `fetch` that keeps the reply (see `recordReplies`). */
  fetch: typeof fetch;
}

/** What a call gave: the SDK's result, or the reply's JSON when the SDK refused its shape. */
export interface ServiceResult {
  /** The SDK's result, or (when the SDK found the reply malformed) the reply's JSON. */
  readonly value: unknown;
  /** The last request and reply, for messages. */
  readonly reply: CapturedReply | undefined;
}

/**
 * The `fetch` the SDK calls go through: core's {@link providerFetch}, so that
 * the settings `timeout` (milliseconds to the first byte and between chunks),
 * `max_retries` (default 0 here: a model that is loading answers 503, and the
 * error says so), `max_retry_wait` and `max_response_bytes` bound every
 * request, and a refused connection, an HTML page or a stall is one line
 * naming the URL (issue 9, "Faults").
 */
function serviceFetch(ctx: RunContext): typeof fetch {
  const settings = providerFetchSettings(ctx.settings);
  return providerFetch({
    service: "Hugging Face Inference",
    ...settings,
    maxRetries: settings.maxRetries ?? 0,
    ...(ctx.warn ? { warn: (message: string) => ctx.warn?.(message) } : {}),
  });
}

/**
 * Calls the SDK with the options of a run (its abort signal, no automatic
 * retry on HTTP 503, a `fetch` that keeps the reply).
 *
 * When the SDK refuses a reply's shape (its `ProviderOutputError`, e.g.
 * Image-to-Text answered with a list), the reply's JSON is returned instead,
 * for the task to read the shapes the service really sends.
 * @param chat whether it is a chat completion (a 422 template error then says the model is no chat model)
 * @throws {HuggingFaceServiceError} (or a subclass) for errors the service sent or no reply; an abort as it is (see `toServiceError`)
 */
export async function callService(
  request: HuggingFaceRequest,
  ctx: RunContext,
  call: (options: CallOptions) => Promise<unknown>,
  chat = false,
): Promise<ServiceResult> {
  const recorder = recordReplies(serviceFetch(ctx));
  try {
    const value = await call({ signal: ctx.signal, retry_on_error: false, fetch: recorder.fetch });
    return { value, reply: recorder.last() };
  } catch (error) {
    if ((error as Error)?.name === "ProviderOutputError" && recorder.last()?.text !== undefined)
      return { value: capturedBody(recorder.last()), reply: recorder.last() };
    throw toServiceError(error, request, recorder.last(), chat);
  }
}

/**
 * The events of a streamed SDK call, with the options of {@link callService};
 * an error the service sends inside the stream (a 200 reply carrying
 * `{"error": ...}`) ends it with a `HuggingFaceServiceError` holding the
 * service's message.
 * @throws {HuggingFaceServiceError} see {@link callService}
 */
export async function* streamService<T>(
  request: HuggingFaceRequest,
  ctx: RunContext,
  start: (options: CallOptions) => AsyncIterable<T>,
  chat = false,
): AsyncGenerator<T> {
  const recorder = recordReplies(serviceFetch(ctx));
  try {
    yield* start({ signal: ctx.signal, retry_on_error: false, fetch: recorder.fetch });
  } catch (error) {
    throw toServiceError(error, request, recorder.last(), chat);
  }
}

/**
 * Reads a call's result with `read`.
 * @throws {UnexpectedReplyError} when `read` finds nothing it knows (`undefined`),
 *   naming the service, the URL and what came back
 */
export function readResult<T>(request: HuggingFaceRequest, result: ServiceResult, read: (value: unknown) => T | undefined): T {
  const out = read(result.value);
  if (out === undefined) throw unexpectedReply(request, result.reply, result.value);
  return out;
}

/** The reply itself when it is bytes (a `Blob`), else `undefined` (for {@link readResult}). */
export function replyBlob(value: unknown): Blob | undefined {
  return value instanceof Blob ? value : undefined;
}

/**
 * A text output.
 * @param index the output's `execution_count` (which input or choice it is for)
 */
export function textOutput(text: string, index: number, metadata: Record<string, unknown>): ExecuteResult {
  return { output_type: "execute_result", execution_count: index, data: text, metadata };
}

/**
 * A binary (audio, image) output: the bytes stored through the runtime
 * (`ctx.storeBinary`), with the MIME type their signature shows, else the one
 * the server declared (see `mediaTypeOf`).
 */
export async function mediaOutput(
  ctx: RunContext,
  blob: Blob,
  index: number,
  fallbackType: string,
  metadata: Record<string, unknown>,
): Promise<ExecuteResult> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const mimeType = mediaTypeOf(bytes, blob.type, fallbackType);
  return {
    output_type: "execute_result",
    execution_count: index,
    data: await ctx.storeBinary(bytes, mimeType),
    mime_type: mimeType,
    metadata,
  };
}
