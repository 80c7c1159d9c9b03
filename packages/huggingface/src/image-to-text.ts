/**
 * The "Image-to-Text" task on Hugging Face Inference.
 * Source: the Hugging Face image-to-text task specification
 * (`@huggingface/tasks`) and `imageToText` of `@huggingface/inference` 4.x.
 *
 * @packageDocumentation
 */
import type { Output, Provider, ResolvedAttachment } from "@aiconfig-ts/core";
import { loadInference } from "./load-inference.js";
import { attachmentBlob, mediaAttachments } from "./media-attachments.js";
import { connectionSettings, settingsSchema } from "./settings-schema.js";
import { type HuggingFaceRequest, callArgs, callOptions, requestBase, textOutput } from "./task-request.js";

/** Default model of {@link imageToTextProvider}. */
export const IMAGE_TO_TEXT_DEFAULT_MODEL = "Salesforce/blip-image-captioning-base";

/** Settings of {@link imageToTextProvider} (JSON Schema draft-07). */
export const imageToTextSettingsSchema = settingsSchema(
  "Image-to-Text",
  "Captions the prompt's image attachments. The image is sent as the request body, so no other parameter (e.g. max_new_tokens) can be sent.",
  connectionSettings(IMAGE_TO_TEXT_DEFAULT_MODEL),
);

/** An image-to-text request: the image attachments, captioned one request each. */
export type ImageToTextRequest = HuggingFaceRequest<Record<string, never>> & {
  /** The images to caption (read when the request is sent). */
  attachments: readonly ResolvedAttachment[];
};

/**
 * Captions each image attachment of the prompt (MIME type `image/*`): one
 * text output per image, in order (`execution_count` is its index), as the
 * Gradio notebook stores them.
 * The hf-inference wire format: `POST .../models/{model}` with the image bytes
 * as the body (`Content-Type` the attachment's MIME type), answered
 * `{"generated_text": ...}`.
 * @throws {MissingAttachmentError} from `resolve` when the prompt has no image attachment.
 */
export const imageToTextProvider: Provider<ImageToTextRequest> = {
  id: "Image-to-Text",
  aliases: ["HuggingFaceImage2TextTransformer", "HuggingFaceImage2TextRemoteInference"],
  description: "Image captioning on Hugging Face Inference (default Salesforce/blip-image-captioning-base)",
  capabilities: {
    tasks: ["image-to-text"],
    inputMedia: ["image/*"],
    streams: false,
    chat: false,
    credentials: ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGING_FACE_API_TOKEN"],
    models: [IMAGE_TO_TEXT_DEFAULT_MODEL],
  },
  settingsSchema: imageToTextSettingsSchema,
  resolve(ctx) {
    const attachments = mediaAttachments(ctx, "image", "Image-to-Text");
    return { ...requestBase(ctx, "Image-to-Text", IMAGE_TO_TEXT_DEFAULT_MODEL), args: {}, attachments };
  },
  async run(request, ctx) {
    const { imageToText } = await loadInference();
    const common = callArgs(request, ctx);
    const outputs: Output[] = [];
    for (const [i, attachment] of request.attachments.entries()) {
      const result = await imageToText({ ...common, inputs: await attachmentBlob(attachment) }, callOptions(ctx));
      outputs.push(textOutput(result.generated_text ?? "", i, { model: request.model }));
    }
    return outputs;
  },
};
