/**
 * JSON Schema of the image provider's settings (`/images/generations`,
 * https://platform.openai.com/docs/api-reference/images/create).
 *
 * @packageDocumentation
 */
import type { JSONSchema } from "@aiconfig-ts/core";
import { openaiSettingsSchema } from "../connection-settings-schema.js";

/** Settings of the image provider (`openai-images`). */
export const imageSettingsSchema: JSONSchema = openaiSettingsSchema("OpenAI image generation settings", {
  model: { type: "string", description: "dall-e-2, dall-e-3 or gpt-image-1 (default: the prompt's model name)." },
  n: { type: "integer", minimum: 1, maximum: 10, default: 1, description: "How many images (dall-e-3: 1); each is stored as an output." },
  size: {
    type: "string",
    enum: ["auto", "256x256", "512x512", "1024x1024", "1536x1024", "1024x1536", "1792x1024", "1024x1792"],
    description: "Image size; which sizes a model takes depends on the model.",
  },
  quality: {
    type: "string",
    enum: ["auto", "standard", "hd", "low", "medium", "high"],
    description: "Image quality (dall-e-3: standard, hd; gpt-image: low, medium, high).",
  },
  style: { type: "string", enum: ["vivid", "natural"], description: "dall-e-3 only." },
  response_format: {
    type: "string",
    enum: ["b64_json", "url"],
    default: "b64_json",
    description: "dall-e only: b64_json stores the image in the file; url stores the (expiring) link.",
  },
  output_format: { type: "string", enum: ["png", "jpeg", "webp"], default: "png", description: "gpt-image only: format of the image." },
  output_compression: { type: "integer", minimum: 0, maximum: 100, description: "gpt-image only, jpeg/webp: compression level." },
  background: { type: "string", enum: ["auto", "transparent", "opaque"], description: "gpt-image only." },
  moderation: { type: "string", enum: ["auto", "low"], description: "gpt-image only." },
  user: { type: "string", description: "End-user id, for abuse monitoring." },
});
