/**
 * What every task's request holds (the model and where it goes), and the
 * pieces every task's `run` shares: the SDK call's common arguments, its
 * options and the outputs it stores.
 *
 * @packageDocumentation
 */
import type { ExecuteResult, JSONObject, ResolveContext, RunContext } from "@aiconfig-ts/core";
import { resolveAccessToken, resolveRoute } from "./connection.js";
import { MissingAccessTokenError } from "./errors.js";
import { mediaTypeOf } from "./media-type.js";
import { resolveModelId } from "./model-id.js";

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
 * The model and route of a prompt's request (see `resolveModelId` and `resolveRoute`).
 * @param task the provider id
 * @param defaultModel the task's default Hub model
 */
export function requestBase(ctx: ResolveContext, task: string, defaultModel: string): Omit<HuggingFaceRequest, "args"> {
  const model = resolveModelId(ctx.settings, ctx.model, defaultModel);
  return { task, model, ...resolveRoute(ctx.settings, ctx.env, model) };
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
 */
export function callArgs(request: HuggingFaceRequest, ctx: RunContext): CallArgs {
  const accessToken = resolveAccessToken(ctx.settings, ctx.env);
  if (!accessToken && !request.endpointUrl) throw new MissingAccessTokenError(ctx.prompt.name, request.task, ctx.configDir);
  const args: CallArgs = { model: request.model };
  if (request.endpointUrl) args.endpointUrl = request.endpointUrl;
  else if (request.provider) args.provider = request.provider;
  if (accessToken) args.accessToken = accessToken;
  return args;
}

/**
 * The SDK call's options: the run's abort signal, and no automatic retry on
 * HTTP 503 (the SDK retries at once and without end while a model loads).
 */
export function callOptions(ctx: RunContext): { signal: AbortSignal; retry_on_error: boolean } {
  return { signal: ctx.signal, retry_on_error: false };
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
