/**
 * The factory of the media-in, text-out tasks (Image-to-Text, Automatic
 * Speech Recognition): they differ only in the media kind, the SDK function
 * and the reply's text field. The media is sent as the request body, one
 * request per attachment.
 *
 * @packageDocumentation
 */
import type { JSONSchema, Output, Provider, ProviderTask, ResolvedAttachment } from "@aiconfig-ts/core";
import { ACCESS_TOKEN_VARIABLES } from "./connection.js";
import { type InferenceModule, loadInference } from "./load-inference.js";
import { attachmentBlob, mediaAttachments } from "./media-attachments.js";
import { type ReplyText, textsIn } from "./reply-shapes.js";
import {
  type CallOptions,
  type HuggingFaceRequest,
  callArgs,
  callService,
  readResult,
  requestBase,
  taskSettings,
  textOutput,
} from "./task-request.js";

/** A media-to-text request: the attachments, sent one request each. */
export type MediaToTextRequest = HuggingFaceRequest<Record<string, never>> & {
  /** The media to read (their bytes are read when the request is sent). */
  attachments: readonly ResolvedAttachment[];
};

/** What makes one media-to-text task. */
export interface MediaToTextTask {
  /** The provider id, e.g. `Image-to-Text`. */
  readonly id: string;
  /** The original SDK's parser ids. */
  readonly aliases: readonly string[];
  readonly description: string;
  /** The task's name in provider capabilities, e.g. `summarization`. */
  readonly task: ProviderTask;
  readonly defaultModel: string;
  readonly settingsSchema: JSONSchema;
  /** The media it reads: attachments whose MIME type is `KIND/*`. */
  readonly kind: "audio" | "image";
  /** The SDK function (its arguments are `CallArgs` and the request's `args`), e.g. `sdk.imageToText`. */
  readonly sdkCall: (sdk: InferenceModule) => (args: any, options: CallOptions) => Promise<unknown>;
  /** The reply's text field, e.g. `generated_text`. */
  readonly field: string;
  /** Output metadata from a result besides the model (e.g. speech recognition's timestamped `chunks`). */
  readonly metadata?: (result: ReplyText) => Record<string, unknown>;
}

/**
 * A provider for a media-to-text task: each attachment of the task's kind
 * (in order: the input's, then those handed on from earlier outputs) is sent
 * as the request body (`Content-Type` its MIME type) to
 * `POST .../models/{model}`; one text output per attachment
 * (`execution_count` its index), read from `{FIELD: TEXT}` or
 * `[{FIELD: TEXT}]` (the service sends both; the first result is kept).
 * @throws {MissingAttachmentError} from `resolve` when the prompt has no such attachment
 * @throws {UnexpectedReplyError} from `run` when a reply holds no `field` text
 */
export function mediaToTextProvider(task: MediaToTextTask): Provider<MediaToTextRequest> {
  return {
    id: task.id,
    aliases: [...task.aliases],
    description: task.description,
    capabilities: {
      tasks: [task.task],
      inputMedia: [`${task.kind}/*`],
      streams: false,
      chat: false,
      credentials: ACCESS_TOKEN_VARIABLES,
      models: [task.defaultModel],
    },
    settingsSchema: task.settingsSchema,
    resolve(ctx) {
      const attachments = mediaAttachments(ctx, task.kind, task.id);
      const settings = taskSettings(ctx, task.id, task.settingsSchema);
      return { ...requestBase(ctx, task.id, task.defaultModel, settings), args: {}, attachments };
    },
    async run(request, ctx) {
      const call = task.sdkCall(await loadInference());
      const common = callArgs(request, ctx);
      const outputs: Output[] = [];
      for (const [i, attachment] of request.attachments.entries()) {
        const inputs = await attachmentBlob(attachment);
        const result = await callService(request, ctx, (options) => call({ ...common, inputs }, options));
        const [first] = readResult(request, result, (value) => textsIn(value, task.field));
        outputs.push(textOutput(first!.text, i, { model: request.model, ...task.metadata?.(first!) }));
      }
      return outputs;
    },
  };
}
