/**
 * The factory of the text-in, text-out tasks (Summarization, Translation):
 * they differ only in the SDK function, the settings sent at the top of
 * `parameters` and the reply's text field.
 *
 * @packageDocumentation
 */
import type { JSONObject, JSONSchema, Provider, ProviderTask } from "@aiconfig-ts/core";
import { ACCESS_TOKEN_VARIABLES } from "./connection.js";
import { type InferenceModule, loadInference } from "./load-inference.js";
import { textsIn } from "./reply-shapes.js";
import { serializeTextRequest } from "./serialize-request.js";
import { textToTextParameters } from "./task-parameters.js";
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

/** A text-to-text request: `{inputs, parameters}`. */
export type TextToTextRequest = HuggingFaceRequest<{ inputs: string; parameters?: JSONObject }>;

/** What makes one text-to-text task. */
export interface TextToTextTask {
  /** The provider id, e.g. `Summarization`. */
  readonly id: string;
  /** The original SDK's parser ids. */
  readonly aliases: readonly string[];
  readonly description: string;
  /** The task's name in provider capabilities, e.g. `summarization`. */
  readonly task: ProviderTask;
  readonly defaultModel: string;
  readonly settingsSchema: JSONSchema;
  /** Settings sent as they are in `parameters` (the others known go to `parameters.generate_parameters`). */
  readonly topLevel: readonly string[];
  /** The SDK function (its arguments are `CallArgs` and the request's `args`), e.g. `sdk.summarization`. */
  readonly sdkCall: (sdk: InferenceModule) => (args: any, options: CallOptions) => Promise<unknown>;
  /** The reply's text field, e.g. `summary_text`. */
  readonly field: string;
}

/**
 * A provider for a text-to-text task: sends the prompt's text
 * (`ctx.input.text`) as `{"inputs": TEXT, "parameters": {...}}` to
 * `POST .../models/{model}` and stores one text output per result of the
 * reply (`[{FIELD: TEXT}]`, or `{FIELD: TEXT}`: both shapes are read).
 * @throws {UnexpectedReplyError} from `run` when the reply holds no `field` text
 */
export function textToTextProvider(task: TextToTextTask): Provider<TextToTextRequest> {
  return {
    id: task.id,
    aliases: [...task.aliases],
    description: task.description,
    capabilities: {
      tasks: [task.task],
      streams: false,
      chat: false,
      credentials: ACCESS_TOKEN_VARIABLES,
      models: [task.defaultModel],
    },
    settingsSchema: task.settingsSchema,
    resolve(ctx) {
      const settings = taskSettings(ctx, task.id, task.settingsSchema);
      const parameters = textToTextParameters(settings, task.topLevel);
      return {
        ...requestBase(ctx, task.id, task.defaultModel, settings),
        args: { inputs: ctx.input.text, ...(parameters ? { parameters } : {}) },
      };
    },
    serialize(data, ctx) {
      return serializeTextRequest(data, ctx, task.id);
    },
    async run(request, ctx) {
      const call = task.sdkCall(await loadInference());
      const result = await callService(request, ctx, (options) => call({ ...callArgs(request, ctx), ...request.args }, options));
      const texts = readResult(request, result, (value) => textsIn(value, task.field));
      return texts.map((t, i) => textOutput(t.text, i, { model: request.model }));
    },
  };
}
