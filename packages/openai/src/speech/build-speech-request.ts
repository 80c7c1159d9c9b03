/**
 * Builds the text-to-speech request of a prompt (`POST /audio/speech`,
 * https://platform.openai.com/docs/api-reference/audio/createSpeech).
 *
 * @packageDocumentation
 */
import { CONNECTION_SETTING_KEYS } from "../connection.js";
import { InputError } from "../errors.js";
import { passThroughSettings, requestModel } from "../request-settings.js";

/** A speech request body (`POST /audio/speech`). */
export interface SpeechRequest {
  model: string;
  input: string;
  voice: string;
  [parameter: string]: unknown;
}

/** Builds the request: the prompt's text as `input`, `voice` defaulting to `alloy`. */
export function buildSpeechRequest(
  settings: Readonly<Record<string, unknown>>,
  model: string,
  text: string,
  prompt: string,
): SpeechRequest {
  if (text.trim() === "") throw new InputError(`prompt "${prompt}": text-to-speech needs the text to speak as the prompt's input`);
  const rest = passThroughSettings(settings as never, CONNECTION_SETTING_KEYS);
  return { model: requestModel(settings as never, model), input: text, voice: "alloy", ...rest } as SpeechRequest;
}
