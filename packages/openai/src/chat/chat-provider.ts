/**
 * The chat providers: OpenAI itself, one per OpenAI-compatible preset, and a
 * stand-in for the retired Anyscale Endpoints that explains what to do.
 *
 * @packageDocumentation
 */
import type { Provider, ProviderCapabilities } from "@aiconfig-ts/core";
import { buildChatRequest, type ChatRequest } from "./build-chat-request.js";
import { RetiredServiceError } from "../errors.js";
import { isChatModel, OPENAI_CHAT_MODELS } from "../model-names.js";
import { chatOutputText } from "./chat-output-text.js";
import { convertOpenAIChatUsage } from "./convert-openai-chat-usage.js";
import { type OpenAIPreset, openaiPreset, presetProviderId, presets } from "../presets.js";
import { runChat } from "./run-chat-request.js";
import { serializeChatRequest } from "./serialize-chat-request.js";
import { chatSettingsSchema } from "./chat-settings-schema.js";

/** A chat provider, with the preset it connects to by default. */
export interface ChatProvider extends Provider<ChatRequest> {
  readonly preset: OpenAIPreset;
}

/** Attachments OpenAI chat models take beside text (see `convert-to-openai-messages.ts`). */
const CHAT_INPUT_MEDIA = ["image/*", "audio/wav", "audio/mpeg", "application/pdf", "text/*"] as const;

/** Whether a base URL points at this machine (a local server needs no network). */
function isLoopbackURL(url: string | undefined): boolean {
  return url !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/i.test(url);
}

/**
 * The capabilities of a preset's chat provider: chat, streaming, images and
 * audio in; the preset's key variables when it needs a key; offline when
 * the preset is a server on this machine.
 */
export function chatCapabilities(preset: OpenAIPreset): ProviderCapabilities {
  const models = preset.name === "openai" ? ["gpt-4o-mini", ...OPENAI_CHAT_MODELS.filter((m) => m !== "gpt-4o-mini")] : preset.models;
  return {
    tasks: ["chat", "text-generation"],
    inputMedia: CHAT_INPUT_MEDIA,
    streams: true,
    chat: true,
    ...(isLoopbackURL(preset.baseURL) ? { offline: true } : {}),
    ...(preset.keyRequired ? { credentials: preset.apiKeyEnv } : {}),
    ...(models.length ? { models } : {}),
  };
}

/**
 * Makes the chat provider of a preset: id `openai` for OpenAI,
 * `openai-compatible:NAME` for the others (aliases: the preset's short
 * names). The `preset` setting of a prompt can still name another preset.
 * @param servesModel which model names it serves without a `model_parsers` entry (default: none)
 */
export function createChatProvider(preset: OpenAIPreset, servesModel?: (model: string) => boolean): ChatProvider {
  return {
    id: presetProviderId(preset),
    aliases: preset.aliases,
    description: `Chat completions on ${preset.description}`,
    chat: true,
    capabilities: chatCapabilities(preset),
    preset,
    settingsSchema: chatSettingsSchema,
    ...(servesModel ? { servesModel } : {}),
    resolve: (ctx) => buildChatRequest(ctx),
    run: (request, ctx) => runChat(request, ctx, preset),
    outputText: chatOutputText,
    outputUsage: convertOpenAIChatUsage,
    serialize: (request, ctx) => serializeChatRequest(request, ctx),
  };
}

/** OpenAI chat completions (`gpt-*`, `o1`/`o3`/`o4*`, `chatgpt-*`). Key: `OPENAI_API_KEY`; base URL: `OPENAI_BASE_URL`. */
export const openaiChat: ChatProvider = createChatProvider(openaiPreset, isChatModel);

/**
 * The chat provider of every preset but `openai`, by preset name
 * (`openai-compatible`, `azure-openai`, `ollama`, `groq`, `llama-cpp-server`, …).
 */
export const compatibleChatProviders: Readonly<Record<string, ChatProvider>> = Object.fromEntries(
  Object.values(presets)
    .filter((p) => p.name !== "openai")
    .map((p) => [p.name, createChatProvider(p)]),
);

/** Where Anyscale Endpoints users should go, in the error that names the service. */
export const ANYSCALE_RETIRED_MESSAGE =
  "Anyscale Endpoints no longer exists (shut down in 2024); map the model to the `openai-compatible` preset of another host (e.g. together, groq) in metadata.model_parsers";

/**
 * Stands for `AnyscaleEndpoint`, the original SDK's parser for Anyscale
 * Endpoints, a service shut down in 2024: resolving a prompt on it throws
 * {@link RetiredServiceError} saying what to use instead.
 */
export const anyscaleRetired: Provider = {
  id: "AnyscaleEndpoint",
  aliases: ["anyscale", "AnyscaleEndpointModelParser"],
  description: "Anyscale Endpoints (retired in 2024): explains how to move to another host",
  chat: true,
  capabilities: { tasks: ["chat"], streams: false, chat: true, retired: true },
  resolve(ctx) {
    throw new RetiredServiceError(`prompt "${ctx.prompt.name}" (model "${ctx.model}"): ${ANYSCALE_RETIRED_MESSAGE}`);
  },
  run(_request, ctx) {
    return Promise.reject(new RetiredServiceError(`prompt "${ctx.prompt.name}" (model "${ctx.model}"): ${ANYSCALE_RETIRED_MESSAGE}`));
  },
  outputText: chatOutputText,
};
