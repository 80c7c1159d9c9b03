/**
 * The "Image-to-Text" task on Hugging Face Inference.
 * Source: the Hugging Face image-to-text task specification
 * (`@huggingface/tasks`) and `imageToText` of `@huggingface/inference` 4.x.
 *
 * @packageDocumentation
 */
import type { Provider } from "@aiconfig-ts/core";
import { type MediaToTextRequest, mediaToTextProvider } from "./media-to-text-task.js";
import { connectionSettings, settingsSchema } from "./settings-schema.js";

/** Default model of {@link imageToTextProvider}. */
export const IMAGE_TO_TEXT_DEFAULT_MODEL = "Salesforce/blip-image-captioning-base";

/** Settings of {@link imageToTextProvider} (JSON Schema draft-07). */
export const imageToTextSettingsSchema = settingsSchema(
  "Image-to-Text",
  "Captions the prompt's image attachments. The image is sent as the request body, so no other parameter (e.g. max_new_tokens) can be sent.",
  connectionSettings(IMAGE_TO_TEXT_DEFAULT_MODEL),
);

/** An image-to-text request: the image attachments, captioned one request each. */
export type ImageToTextRequest = MediaToTextRequest;

/**
 * Captions each image attachment of the prompt (MIME type `image/*`): one
 * text output per image, in order (`execution_count` is its index), as the
 * Gradio notebook stores them.
 * The hf-inference wire format: `POST .../models/{model}` with the image bytes
 * as the body (`Content-Type` the attachment's MIME type), answered
 * `[{"generated_text": ...}]` (the SDK expects `{"generated_text": ...}`; both are read).
 * @throws {MissingAttachmentError} from `resolve` when the prompt has no image attachment.
 */
export const imageToTextProvider: Provider<ImageToTextRequest> = mediaToTextProvider({
  id: "Image-to-Text",
  aliases: ["HuggingFaceImage2TextTransformer", "HuggingFaceImage2TextRemoteInference"],
  description: "Image captioning on Hugging Face Inference (default Salesforce/blip-image-captioning-base)",
  task: "image-to-text",
  defaultModel: IMAGE_TO_TEXT_DEFAULT_MODEL,
  settingsSchema: imageToTextSettingsSchema,
  kind: "image",
  sdkCall: (sdk) => sdk.imageToText,
  field: "generated_text",
});
