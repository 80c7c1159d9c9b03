/**
 * Hugging Face Inference providers for AIConfig: the seven tasks of the
 * Gradio notebook (Text Generation, Summarization, Translation, Automatic
 * Speech Recognition, Text-to-Speech, Text-to-Image, Image-to-Text) on the
 * official `@huggingface/inference` SDK, which is loaded on first run.
 *
 * @packageDocumentation
 */
export * from "./connection.js";
export * from "./errors.js";
export * from "./image-to-text.js";
export * from "./media-type.js";
export * from "./model-id.js";
export * from "./register.js";
export { HuggingFaceServiceError, NoChatTemplateError, UnexpectedReplyError } from "./service-errors.js";
export * from "./speech-recognition.js";
export * from "./summarization.js";
export * from "./text-generation.js";
export * from "./text-to-image.js";
export * from "./text-to-speech.js";
export * from "./translation.js";
export type { HuggingFaceRequest } from "./task-request.js";
export type { ChatContentPart, ChatMessage } from "./chat-messages.js";
export type { ChatToolCall } from "./chat-tool-calls.js";
