/**
 * The "Automatic Speech Recognition" task on Hugging Face Inference.
 * Source: the Hugging Face automatic-speech-recognition task specification
 * (`@huggingface/tasks`) and `automaticSpeechRecognition` of
 * `@huggingface/inference` 4.x.
 *
 * @packageDocumentation
 */
import type { Output, Provider, ResolvedAttachment } from "@aiconfig-ts/core";
import { loadInference } from "./load-inference.js";
import { attachmentBlob, mediaAttachments } from "./media-attachments.js";
import { connectionSettings, settingsSchema } from "./settings-schema.js";
import { type HuggingFaceRequest, callArgs, callOptions, requestBase, textOutput } from "./task-request.js";

/** Default model of {@link speechRecognitionProvider}. */
export const SPEECH_RECOGNITION_DEFAULT_MODEL = "openai/whisper-large-v3";

/** Settings of {@link speechRecognitionProvider} (JSON Schema draft-07). */
export const speechRecognitionSettingsSchema = settingsSchema(
  "Automatic Speech Recognition",
  "Transcribes the prompt's audio attachments. The audio is sent as the request body, so no other parameter can be sent.",
  connectionSettings(SPEECH_RECOGNITION_DEFAULT_MODEL),
);

/** A speech recognition request: the audio attachments, transcribed one request each. */
export type SpeechRecognitionRequest = HuggingFaceRequest<Record<string, never>> & {
  /** The audio to transcribe (read when the request is sent). */
  attachments: readonly ResolvedAttachment[];
};

/**
 * Transcribes each audio attachment of the prompt (MIME type `audio/*`): one
 * text output per attachment, in order (`execution_count` is its index); the
 * timestamped `chunks`, when the model returns them, go to the output's
 * metadata.
 * The hf-inference wire format: `POST .../models/{model}` with the audio bytes
 * as the body (`Content-Type` the attachment's MIME type), answered
 * `{"text": ..., "chunks"?: [...]}`.
 * @throws {MissingAttachmentError} from `resolve` when the prompt has no audio attachment.
 */
export const speechRecognitionProvider: Provider<SpeechRecognitionRequest> = {
  id: "Automatic Speech Recognition",
  aliases: ["HuggingFaceAutomaticSpeechRecognitionTransformer", "HuggingFaceAutomaticSpeechRecognitionRemoteInference"],
  description: "Speech recognition on Hugging Face Inference (default openai/whisper-large-v3)",
  capabilities: {
    tasks: ["automatic-speech-recognition"],
    inputMedia: ["audio/*"],
    streams: false,
    chat: false,
    credentials: ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGING_FACE_API_TOKEN"],
    models: [SPEECH_RECOGNITION_DEFAULT_MODEL],
  },
  settingsSchema: speechRecognitionSettingsSchema,
  resolve(ctx) {
    const attachments = mediaAttachments(ctx, "audio", "Automatic Speech Recognition");
    return { ...requestBase(ctx, "Automatic Speech Recognition", SPEECH_RECOGNITION_DEFAULT_MODEL), args: {}, attachments };
  },
  async run(request, ctx) {
    const { automaticSpeechRecognition } = await loadInference();
    const common = callArgs(request, ctx);
    const outputs: Output[] = [];
    for (const [i, attachment] of request.attachments.entries()) {
      const result = await automaticSpeechRecognition({ ...common, inputs: await attachmentBlob(attachment) }, callOptions(ctx));
      outputs.push(textOutput(result.text, i, { model: request.model, ...(result.chunks ? { chunks: result.chunks } : {}) }));
    }
    return outputs;
  },
};
