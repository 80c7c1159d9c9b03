/**
 * Errors of the Hugging Face provider, one class per failure kind. Each
 * message is one line naming the prompt and the fix. They extend core's
 * shared kinds (`MissingCredentialError`, `InvalidInputError`), so a check
 * with the kind's `isInstance` holds across copies of core; the stored names
 * stay.
 *
 * @packageDocumentation
 */
import { InvalidInputError, MissingCredentialError } from "@aiconfig-ts/core";

/**
 * No access token was found for a request sent to Hugging Face's servers
 * (requests to an endpoint set with `endpoint_url` or `HF_INFERENCE_ENDPOINT`
 * are sent without one when none is set).
 */
export class MissingAccessTokenError extends MissingCredentialError {
  override name = "MissingAccessTokenError";
  /**
   * @param prompt the prompt's name
   * @param task the provider id, e.g. `Summarization`
   * @param configDir folder of the aiconfig file, where a `.env` file is read
   */
  constructor(
    readonly prompt: string,
    readonly task: string,
    configDir: string | undefined,
  ) {
    super(
      `prompt "${prompt}" (Hugging Face ${task}) needs an access token: set HF_TOKEN in the environment${
        configDir ? ` or in ${configDir}/.env` : ""
      }, or the api_token setting (create one at https://huggingface.co/settings/tokens)`,
    );
  }
}

/** A prompt of a task that reads media (audio, images) has no attachment of that kind. */
export class MissingAttachmentError extends InvalidInputError {
  override name = "MissingAttachmentError";
  /**
   * @param prompt the prompt's name
   * @param task the provider id, e.g. `Image-to-Text`
   * @param kind the media kind it needs: `audio` or `image`
   */
  constructor(
    readonly prompt: string,
    readonly task: string,
    readonly kind: "audio" | "image",
  ) {
    const example =
      kind === "audio"
        ? `{"data": {"kind": "file_uri", "value": "speech.wav"}, "mime_type": "audio/wav"}`
        : `{"data": {"kind": "file_uri", "value": "photo.png"}, "mime_type": "image/png"}`;
    super(
      `prompt "${prompt}" (Hugging Face ${task}) needs an ${kind} attachment with an ${kind}/* mime_type: add one to input.attachments, e.g. ${example}`,
    );
  }
}
