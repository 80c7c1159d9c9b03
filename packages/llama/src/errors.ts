/**
 * Errors of the llama provider. Each message is one line that names the
 * place and the fix.
 *
 * @packageDocumentation
 */
import { AIConfigError, InvalidSettingError } from "@aiconfig-ts/core";

/** A GGUF model file cannot be found. */
export class ModelNotFoundError extends AIConfigError {
  override name = "ModelNotFoundError";
  /**
   * @param model the model name of the prompt
   * @param tried the absolute paths looked at, in order
   * @param message the one-line message
   */
  constructor(
    readonly model: string,
    readonly tried: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

/** Downloading a model failed (HTTP error, wrong size or checksum, network). */
export class ModelDownloadError extends AIConfigError {
  override name = "ModelDownloadError";
  /**
   * @param url the URL downloaded
   * @param message the one-line message
   */
  constructor(
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A setting has a value of the wrong type or out of range. */
export class LlamaSettingsError extends InvalidSettingError {
  override name = "LlamaSettingsError";
  /**
   * @param setting the setting's name, e.g. `temperature`
   * @param message the one-line message
   */
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

/** node-llama-cpp cannot run on this machine (no usable prebuilt binary). */
export class LlamaUnavailableError extends AIConfigError {
  override name = "LlamaUnavailableError";
}
