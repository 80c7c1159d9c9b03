/**
 * Errors of the OpenAI providers. Each message is one line that names the
 * prompt and says how to fix it; none ever contains a key.
 *
 * @packageDocumentation
 */
import { AIConfigError, InvalidInputError, InvalidSettingError, MissingCredentialError } from "@aiconfig-ts/core";

/** No API key was found for a service that needs one. */
export class MissingAPIKeyError extends MissingCredentialError {
  override name = "MissingAPIKeyError";
  /**
   * @param variable the environment variable that should hold the key, e.g. `OPENAI_API_KEY`
   * @param prompt the prompt being run
   * @param help where to get a key, if known
   */
  constructor(
    readonly variable: string,
    readonly prompt: string,
    help?: string,
  ) {
    super(
      `prompt "${prompt}": ${variable} is not set: set it in the environment or in a .env file beside the aiconfig file, or give the api_key setting${help ? ` (get a key at ${help})` : ""}`,
    );
  }
}

/** A setting that the connection needs is missing or wrong (e.g. no base URL for the generic preset). */
export class ConnectionSettingError extends InvalidSettingError {
  override name = "ConnectionSettingError";
}

/** A prompt uses a service that no longer exists (e.g. Anyscale Endpoints). */
export class RetiredServiceError extends AIConfigError {
  override name = "RetiredServiceError";
}

/** A prompt's input cannot be turned into a request (e.g. an attachment of a type the model does not take). */
export class InputError extends InvalidInputError {
  override name = "InputError";
}

/** A streamed reply broke off before it was complete (the connection closed or failed mid-way); `cause` holds the SDK's error. */
export class StreamInterruptedError extends AIConfigError {
  override name = "StreamInterruptedError";
}
