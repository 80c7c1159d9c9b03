/**
 * Image generation (`dall-e-2`, `dall-e-3`, `gpt-image-*`) through the SDK's
 * `images.generate`. Each image is an output: bytes stored through the
 * runtime (`base64`, or a file beside the aiconfig file), or the image's URL
 * as a `file_uri` when `response_format` is `url` (dall-e only).
 * API: https://platform.openai.com/docs/api-reference/images/create
 *
 * @packageDocumentation
 */
import type { ExecuteResult, Output, Provider, RunContext } from "@aiconfig-ts/core";
import type { ImageGenerateParamsNonStreaming } from "openai/resources/images";
import { passThroughSettings, requestModel } from "./build-chat-request.js";
import { CONNECTION_SETTING_KEYS, createClient, resolveConnection } from "./connection.js";
import { InputError } from "./errors.js";
import { isImageModel, OPENAI_IMAGE_MODELS } from "./model-names.js";
import { openaiPreset } from "./presets.js";
import { withNamedErrors } from "./sdk-errors.js";
import { imageSettingsSchema } from "./settings-schemas.js";

/** An image generation request body (`POST /images/generations`). */
export interface ImageRequest {
  model: string;
  prompt: string;
  [parameter: string]: unknown;
}

const MIME_BY_FORMAT: Record<string, string> = { png: "image/png", jpeg: "image/jpeg", jpg: "image/jpeg", webp: "image/webp" };

/** Builds the request: the prompt's text, the model, and the settings; dall-e models get `response_format: "b64_json"` unless set. */
export function buildImageRequest(settings: Readonly<Record<string, unknown>>, model: string, text: string, prompt: string): ImageRequest {
  if (text.trim() === "") throw new InputError(`prompt "${prompt}": image generation needs a text description as the prompt's input`);
  const name = requestModel(settings as never, model);
  const request: ImageRequest = { model: name, prompt: text, ...passThroughSettings(settings as never, CONNECTION_SETTING_KEYS) };
  if (name.startsWith("dall-e") && request.response_format === undefined) request.response_format = "b64_json";
  return request;
}

/**
 * Sends an image request and stores each image.
 * `mime_type` is `image/png` unless `output_format` says otherwise; `metadata`
 * holds `created`, `revised_prompt`, `usage` and the other response fields when present.
 */
export async function runImages(request: ImageRequest, ctx: RunContext): Promise<Output[]> {
  const client = await createClient(resolveConnection(openaiPreset, ctx.settings, ctx.env, ctx.prompt.name));
  const response = await client.images.generate(request as unknown as ImageGenerateParamsNonStreaming, { signal: ctx.signal });
  const format = typeof request.output_format === "string" ? request.output_format : (response.output_format ?? "png");
  const mime = MIME_BY_FORMAT[format] ?? "image/png";
  const common: Record<string, unknown> = { created: response.created, model: request.model };
  for (const key of ["usage", "size", "quality", "background"] as const) if (response[key] !== undefined) common[key] = response[key];
  const outputs: ExecuteResult[] = [];
  for (const [i, image] of (response.data ?? []).entries()) {
    const metadata = { ...common, ...(image.revised_prompt ? { revised_prompt: image.revised_prompt } : {}) };
    if (image.b64_json) {
      const stored = await ctx.storeBinary(Buffer.from(image.b64_json, "base64"), mime);
      outputs.push({ output_type: "execute_result", execution_count: i, data: stored, mime_type: mime, metadata });
    } else if (image.url) {
      outputs.push({
        output_type: "execute_result",
        execution_count: i,
        data: { kind: "file_uri", value: image.url },
        mime_type: mime,
        metadata,
      });
    }
  }
  return outputs;
}

/** Image generation on OpenAI (`dall-e-*`, `gpt-image-*`). */
export const openaiImages: Provider<ImageRequest> = {
  id: "openai-images",
  aliases: ["openai-image", "OpenAIImageGeneration"],
  description: "OpenAI image generation (DALL·E, GPT Image)",
  settingsSchema: imageSettingsSchema,
  capabilities: {
    tasks: ["text-to-image"],
    outputMedia: ["image/png", "image/jpeg", "image/webp"],
    streams: false,
    chat: false,
    credentials: ["OPENAI_API_KEY"],
    models: ["gpt-image-1", ...OPENAI_IMAGE_MODELS.filter((m) => m !== "gpt-image-1")],
  },
  servesModel: isImageModel,
  resolve: (ctx) => buildImageRequest(ctx.settings, ctx.model, ctx.input.text, ctx.prompt.name),
  run: (request, ctx) => withNamedErrors(() => runImages(request, ctx)),
};

/** Model names registered for {@link openaiImages}. */
export const imageModels = OPENAI_IMAGE_MODELS;
