/**
 * Errors of the offline speech providers. Each message is one line that names
 * the prompt or setting and the fix.
 *
 * @packageDocumentation
 */
import { AIConfigError, InvalidInputError, InvalidSettingError } from "@aiconfig-ts/core";

/** A setting has a wrong type or is out of range. */
export class SpeechSettingsError extends InvalidSettingError {
  override name = "SpeechSettingsError";
}

/** The prompt's input cannot be used (no text to speak, no audio to transcribe). */
export class SpeechInputError extends InvalidInputError {
  override name = "SpeechInputError";
}

/** espeak-ng failed (e.g. an unknown voice); the message holds what it printed. */
export class EspeakError extends AIConfigError {
  override name = "EspeakError";
}

/** A program the speech recognizer runs (`pocketsphinx_continuous`, `sox`) is missing or failed. */
export class PocketsphinxError extends AIConfigError {
  override name = "PocketsphinxError";
}
