/**
 * The "Text-to-Image" task on Hugging Face Inference.
 * Source: the Hugging Face text-to-image task specification
 * (`@huggingface/tasks`, `TextToImageInput`) and `textToImage` of
 * `@huggingface/inference` 4.x.
 *
 * @packageDocumentation
 */
import type { JSONObject, Output, Provider } from "@aiconfig-ts/core";
import { ACCESS_TOKEN_VARIABLES } from "./connection.js";
import { loadInference } from "./load-inference.js";
import { serializeTextRequest } from "./serialize-request.js";
import { connectionSettings, pickSettings, settingsSchema } from "./settings-schema.js";
import {
  type HuggingFaceRequest,
  callArgs,
  callService,
  mediaOutput,
  readResult,
  replyBlob,
  requestBase,
  taskSettings,
} from "./task-request.js";

/** Default model of {@link textToImageProvider}. */
export const TEXT_TO_IMAGE_DEFAULT_MODEL = "stabilityai/stable-diffusion-xl-base-1.0";

/** Most images one prompt may ask for with `num_images_per_prompt`. */
export const MAX_IMAGES_PER_PROMPT = 8;

const PARAMETERS = ["negative_prompt", "width", "height", "num_inference_steps", "guidance_scale", "scheduler", "seed"] as const;

/** Settings of {@link textToImageProvider} (JSON Schema draft-07). */
export const textToImageSettingsSchema = settingsSchema(
  "Text-to-Image",
  "Draws an image from the prompt's text; images are stored as outputs.",
  {
    ...connectionSettings(TEXT_TO_IMAGE_DEFAULT_MODEL),
    negative_prompt: { type: "string", description: "What the image should not show." },
    width: { type: "integer", minimum: 64, maximum: 4096, description: "Width of the image, in pixels." },
    height: { type: "integer", minimum: 64, maximum: 4096, description: "Height of the image, in pixels." },
    num_inference_steps: { type: "integer", minimum: 1, maximum: 500, description: "Denoising steps; more is slower and usually finer." },
    guidance_scale: { type: "number", minimum: 0, maximum: 50, description: "How closely the image follows the prompt; higher is closer." },
    scheduler: { type: "string", description: "Name of the scheduler to use instead of the model's default." },
    seed: {
      type: "integer",
      minimum: 0,
      description: "Random seed, for images that can be reproduced. Image i of a prompt uses seed + i.",
    },
    num_images_per_prompt: {
      type: "integer",
      minimum: 1,
      maximum: MAX_IMAGES_PER_PROMPT,
      default: 1,
      description: "How many images to make; the API makes one per request, so this sends that many requests.",
    },
  },
);

/** A text-to-image request: `{inputs, parameters}` and how many images to make. */
export type TextToImageRequest = HuggingFaceRequest<{ inputs: string; parameters?: JSONObject }> & {
  /** How many images to make (one request each). */
  images: number;
};

/**
 * The number of images asked for: `num_images_per_prompt` when it is an
 * integer from 1 to {@link MAX_IMAGES_PER_PROMPT}, else 1.
 */
export function imagesPerPrompt(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? Math.min(value, MAX_IMAGES_PER_PROMPT) : 1;
}

/**
 * Draws images from the prompt's text (`ctx.input.text`): one image output
 * per image asked for (`num_images_per_prompt`, one request each; with a
 * `seed`, image i uses `seed + i`), stored with `ctx.storeBinary` and the MIME
 * type of the bytes (see `mediaTypeOf`).
 * The hf-inference wire format: `POST .../models/{model}` with
 * `{"inputs": TEXT, "parameters": {"negative_prompt", "width", ...}}`,
 * answered with the image bytes and their `Content-Type`.
 */
export const textToImageProvider: Provider<TextToImageRequest> = {
  id: "Text-to-Image",
  aliases: ["HuggingFaceText2ImageDiffusor", "HuggingFaceText2ImageRemoteInference"],
  description: "Text-to-image on Hugging Face Inference (default stabilityai/stable-diffusion-xl-base-1.0)",
  capabilities: {
    tasks: ["text-to-image"],
    outputMedia: ["image/jpeg"],
    streams: false,
    chat: false,
    credentials: ACCESS_TOKEN_VARIABLES,
    models: [TEXT_TO_IMAGE_DEFAULT_MODEL],
  },
  settingsSchema: textToImageSettingsSchema,
  resolve(ctx) {
    const settings = taskSettings(ctx, "Text-to-Image", textToImageSettingsSchema);
    const parameters = pickSettings(settings, PARAMETERS);
    return {
      ...requestBase(ctx, "Text-to-Image", TEXT_TO_IMAGE_DEFAULT_MODEL, settings),
      args: { inputs: ctx.input.text, ...(parameters ? { parameters } : {}) },
      images: imagesPerPrompt(settings["num_images_per_prompt"]),
    };
  },
  serialize(data, ctx) {
    const images = (data as { images?: unknown } | null)?.images;
    return serializeTextRequest(
      data,
      ctx,
      "Text-to-Image",
      typeof images === "number" && images > 1 ? { num_images_per_prompt: images } : {},
    );
  },
  async run(request, ctx) {
    const { textToImage } = await loadInference();
    const common = callArgs(request, ctx);
    const outputs: Output[] = [];
    for (let i = 0; i < request.images; i++) {
      const { parameters } = request.args;
      const seed = parameters?.["seed"];
      const args = typeof seed === "number" && i > 0 ? { ...request.args, parameters: { ...parameters, seed: seed + i } } : request.args;
      const result = await callService(request, ctx, (options) => textToImage({ ...common, ...args }, { ...options, outputType: "blob" }));
      const image = readResult(request, result, replyBlob);
      outputs.push(await mediaOutput(ctx, image, i, "image/jpeg", { model: request.model }));
    }
    return outputs;
  },
};
