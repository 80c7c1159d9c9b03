/**
 * The "Automatic Speech Recognition" task on Hugging Face Inference.
 * Source: the Hugging Face automatic-speech-recognition task specification
 * (`@huggingface/tasks`) and `automaticSpeechRecognition` of
 * `@huggingface/inference` 4.x.
 *
 * @packageDocumentation
 */
import type { Provider } from "@aiconfig-ts/core";
import { type MediaToTextRequest, mediaToTextProvider } from "./media-to-text-task.js";
import { connectionSettings, settingsSchema } from "./settings-schema.js";

/** Default model of {@link speechRecognitionProvider}. */
export const SPEECH_RECOGNITION_DEFAULT_MODEL = "openai/whisper-large-v3";

/** Settings of {@link speechRecognitionProvider} (JSON Schema draft-07). */
export const speechRecognitionSettingsSchema = settingsSchema(
  "Automatic Speech Recognition",
  "Transcribes the prompt's audio attachments. The audio is sent as the request body, so no other parameter can be sent.",
  connectionSettings(SPEECH_RECOGNITION_DEFAULT_MODEL),
);

/** A speech recognition request: the audio attachments, transcribed one request each. */
export type SpeechRecognitionRequest = MediaToTextRequest;

/**
 * Transcribes each audio attachment of the prompt (MIME type `audio/*`): one
 * text output per attachment, in order (`execution_count` is its index); the
 * timestamped `chunks`, when the model returns them, go to the output's
 * metadata.
 * The hf-inference wire format: `POST .../models/{model}` with the audio bytes
 * as the body (`Content-Type` the attachment's MIME type), answered
 * `{"text": ..., "chunks"?: [...]}` (a list of those is read too).
 * @throws {MissingAttachmentError} from `resolve` when the prompt has no audio attachment.
 */
export const speechRecognitionProvider: Provider<SpeechRecognitionRequest> = mediaToTextProvider({
  id: "Automatic Speech Recognition",
  aliases: ["HuggingFaceAutomaticSpeechRecognitionTransformer", "HuggingFaceAutomaticSpeechRecognitionRemoteInference"],
  description: "Speech recognition on Hugging Face Inference (default openai/whisper-large-v3)",
  task: "automatic-speech-recognition",
  defaultModel: SPEECH_RECOGNITION_DEFAULT_MODEL,
  settingsSchema: speechRecognitionSettingsSchema,
  kind: "audio",
  sdkCall: (sdk) => sdk.automaticSpeechRecognition,
  field: "text",
  metadata: (result) => (result.item["chunks"] ? { chunks: result.item["chunks"] } : {}),
});
