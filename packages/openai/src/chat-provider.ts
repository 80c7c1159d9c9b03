/**
 * The chat providers: OpenAI itself, one per OpenAI-compatible preset, and a
 * stand-in for the retired Anyscale Endpoints that explains what to do.
 *
 * @packageDocumentation
 */
import type { Provider } from "@aiconfig-ts/core";
import { buildChatRequest, type ChatRequest } from "./build-chat-request.js";
import { RetiredServiceError } from "./errors.js";
import { isChatModel } from "./model-names.js";
import { chatOutputText } from "./output-text.js";
import { type OpenAIPreset, openaiPreset, presetProviderId, presets } from "./presets.js";
import { runChat } from "./run-chat.js";
import { withNamedErrors } from "./sdk-errors.js";
import { serializeChatRequest } from "./serialize-chat-request.js";
import { chatSettingsSchema } from "./settings-schemas.js";

/** A chat provider, with the preset it connects to by default. */
export interface ChatProvider extends Provider<ChatRequest> {
  readonly preset: OpenAIPreset;
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
    preset,
    settingsSchema: chatSettingsSchema,
    ...(servesModel ? { servesModel } : {}),
    resolve: (ctx) => buildChatRequest(ctx),
    run: (request, ctx) => withNamedErrors(() => runChat(request, ctx, preset)),
    outputText: chatOutputText,
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
  resolve(ctx) {
    throw new RetiredServiceError(`prompt "${ctx.prompt.name}" (model "${ctx.model}"): ${ANYSCALE_RETIRED_MESSAGE}`);
  },
  run(_request, ctx) {
    return Promise.reject(new RetiredServiceError(`prompt "${ctx.prompt.name}" (model "${ctx.model}"): ${ANYSCALE_RETIRED_MESSAGE}`));
  },
  outputText: chatOutputText,
};
