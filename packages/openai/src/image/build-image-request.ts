/**
 * Builds the image generation request of a prompt (`POST /images/generations`,
 * https://platform.openai.com/docs/api-reference/images/create).
 *
 * @packageDocumentation
 */
import { CONNECTION_SETTING_KEYS } from "../connection.js";
import { InputError } from "../errors.js";
import { passThroughSettings, requestModel } from "../request-settings.js";

/** An image generation request body (`POST /images/generations`). */
export interface ImageRequest {
  model: string;
  prompt: string;
  [parameter: string]: unknown;
}

/** Builds the request: the prompt's text, the model, and the settings; dall-e models get `response_format: "b64_json"` unless set. */
export function buildImageRequest(settings: Readonly<Record<string, unknown>>, model: string, text: string, prompt: string): ImageRequest {
  if (text.trim() === "") throw new InputError(`prompt "${prompt}": image generation needs a text description as the prompt's input`);
  const name = requestModel(settings as never, model);
  const request: ImageRequest = { model: name, prompt: text, ...passThroughSettings(settings as never, CONNECTION_SETTING_KEYS) };
  if (name.startsWith("dall-e") && request.response_format === undefined) request.response_format = "b64_json";
  return request;
}
