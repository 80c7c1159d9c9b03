/**
 * Where requests go (a Hugging Face Inference Provider, or an endpoint URL)
 * and with which access token.
 *
 * @packageDocumentation
 */
import { type ModelSettings, readCredential, readOptionalSetting } from "@aiconfig-ts/core";

/** Where a request goes: an endpoint URL, or an Inference Provider through Hugging Face's router. */
export interface Route {
  /**
   * Full URL of the server that serves the model; when set, the SDK sends the
   * request there with the `hf-inference` wire format and `provider` is unset.
   */
  endpointUrl?: string;
  /** Inference Provider (`auto`, `hf-inference`, `fal-ai`, ...) when there is no endpoint. */
  provider?: string;
}

/** The environment variables an access token is read from, in order (see {@link readAccessToken}). */
export const ACCESS_TOKEN_VARIABLES: readonly string[] = ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGING_FACE_API_TOKEN"];

/** The setting that names a full endpoint URL, and the variable that names a base URL (read in this order, by core's `readOptionalSetting`). */
const ENDPOINT_SETTINGS = ["endpoint_url"];
const ENDPOINT_VARIABLES = ["HF_INFERENCE_ENDPOINT"];

/**
 * Where a request for `model` goes:
 * 1. the `endpoint_url` setting: the full URL of a server that serves the
 *    model (a dedicated Inference Endpoint, a text-generation-inference
 *    server), used as is;
 * 2. else the `HF_INFERENCE_ENDPOINT` environment variable: a base URL that
 *    serves Hub models under `/models/{model}`, as in the Python
 *    `huggingface_hub` client (e.g. `https://router.huggingface.co/hf-inference`);
 * 3. else the `provider` setting, default `auto` (the SDK's default: the
 *    first provider that serves the model, in the order of the user's
 *    settings at https://hf.co/settings/inference-providers).
 *
 * The SDK cannot send to an endpoint and name a provider at once, so with an
 * endpoint the `provider` setting is not used.
 * Values are read as core's `readCredential` reads the endpoint (trimmed, blank = unset).
 * Source: `@huggingface/inference` 4.x, `BaseArgs.endpointUrl` and `BaseArgs.provider`.
 */
export function resolveRoute(settings: Readonly<ModelSettings>, env: Readonly<Record<string, string | undefined>>, model: string): Route {
  const endpoint = readOptionalSetting(settings, ENDPOINT_SETTINGS, env, ENDPOINT_VARIABLES);
  if (endpoint?.source === "settings") return { endpointUrl: endpoint.value };
  if (endpoint) return { endpointUrl: `${endpoint.value.replace(/\/+$/, "")}/models/${model}` };
  return { provider: readOptionalSetting(settings, ["provider"])?.value ?? "auto" };
}

/** Hugging Face's own servers: a token may always go there. */
const HUGGING_FACE_ENDPOINTS = ["https://router.huggingface.co", "https://api-inference.huggingface.co", "https://huggingface.co"];

/** Where a token is read and where it may go (see {@link readAccessToken}). */
export interface AccessTokenOptions {
  /** The prompt's merged settings. */
  readonly settings: Readonly<ModelSettings>;
  /** The environment record the runtime gives. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The prompt's name, for messages. */
  readonly prompt: string;
  /** Hosts the application allowed a token to go to (`RunContext.allowedEndpoints`). */
  readonly allowedEndpoints?: readonly string[] | undefined;
  /** Whether a missing token is an error (requests to Hugging Face's servers need one). */
  readonly required: boolean;
  /** Makes the missing-token error. */
  readonly missing: () => Error;
}

/**
 * The access token, read by core's `readCredential`: the `api_token` or
 * `hf_token` setting, else the environment's `HF_TOKEN`,
 * `HUGGING_FACE_HUB_TOKEN` or `HUGGING_FACE_API_TOKEN` (the variable the
 * original AIConfig SDK read), in that order; `undefined` when none is set
 * and none is required. It is sent as `Authorization: Bearer TOKEN`.
 *
 * The token goes only where core's rule lets a key go: Hugging Face's own
 * servers, an endpoint set in a source at least as trusted as the token (an
 * `endpoint_url` in the file, or an `HF_INFERENCE_ENDPOINT` in the `.env`
 * beside it, never receives the token of the user's environment), or a host
 * the user allowed (`--allow-endpoint`, `AICONFIG_ALLOW_ENDPOINTS`).
 * @throws the `missing` error when a required token is not set
 * @throws {EndpointNotAllowedError} (core) when the token may not go to the endpoint
 */
export function readAccessToken(options: AccessTokenOptions): string | undefined {
  return readCredential({
    service: "Hugging Face",
    prompt: options.prompt,
    settings: options.settings,
    env: options.env,
    keySettings: ["api_token", "hf_token"],
    keyVariables: ACCESS_TOKEN_VARIABLES,
    required: options.required,
    missingCredential: options.missing,
    keyHelp: "https://huggingface.co/settings/tokens",
    endpointSettings: ENDPOINT_SETTINGS,
    endpointVariables: ENDPOINT_VARIABLES,
    knownEndpoints: HUGGING_FACE_ENDPOINTS,
    ...(options.allowedEndpoints ? { allowedEndpoints: options.allowedEndpoints } : {}),
  }).key;
}
