/**
 * The image generation provider (`dall-e-2`, `dall-e-3`, `gpt-image-*`).
 *
 * @packageDocumentation
 */
import type { Provider } from "@aiconfig-ts/core";
import { isImageModel, OPENAI_IMAGE_MODELS } from "../model-names.js";
import { withNamedErrors } from "../sdk-errors.js";
import { buildImageRequest, type ImageRequest } from "./build-image-request.js";
import { imageSettingsSchema } from "./image-settings-schema.js";
import { runImages } from "./run-image-request.js";

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
