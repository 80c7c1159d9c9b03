/**
 * Where a request goes and with which key: from the prompt's settings
 * (`api_key`, `base_url`, `preset`, `max_retries`, `timeout`, `api_version`,
 * `organization`, `project`), else from the environment the runtime gives
 * (`process.env` over the `.env` beside the aiconfig file), else from the
 * preset. Also builds the SDK client, loading the `openai` package lazily,
 * and keeps one client per distinct connection.
 *
 * Keys only ever go to the SDK client; they are never put into requests,
 * outputs or error messages.
 *
 * @packageDocumentation
 */
import {
  ALLOW_ENDPOINTS_VARIABLE,
  environmentSource,
  type ModelSettings,
  providerFetch,
  providerFetchSettings,
  readCredential,
  readOptionalSetting,
  runsInBrowser,
} from "@aiconfig-ts/core";
import type { OpenAI } from "openai";
import { ConnectionSettingError, MissingAPIKeyError } from "./errors.js";
import { DEFAULT_AZURE_API_VERSION, type OpenAIPreset, presets } from "./presets.js";

/**
 * Setting keys that configure this package rather than the request: they are
 * never sent to the API.
 */
export const CONNECTION_SETTING_KEYS = [
  "api_key",
  "base_url",
  "preset",
  "max_retries",
  "timeout",
  "api_version",
  "organization",
  "project",
  "max_retry_wait",
  "max_response_bytes",
] as const;

/** Everything needed to build an SDK client. */
export interface Connection {
  /** The preset in force (the provider's own, or the one the `preset` setting names). */
  readonly preset: OpenAIPreset;
  /** The key (a placeholder, `no-key`, for keyless local servers). */
  readonly apiKey: string;
  /** Base URL (for Azure: `undefined` when {@link endpoint} is used). */
  readonly baseURL: string | undefined;
  /** Azure resource endpoint, e.g. `https://NAME.openai.azure.com`. */
  readonly endpoint: string | undefined;
  /** Azure `api-version`. */
  readonly apiVersion: string | undefined;
  /** Retries on 408/409/429/5xx and connection errors, honouring `retry-after` (default 2; done by `providerFetch`, not the SDK). */
  readonly maxRetries: number | undefined;
  /** Longest wait for the headers and between chunks of a reply, in milliseconds (SDK default 10 minutes). */
  readonly timeout: number | undefined;
  /** Longest wait before a retry, in milliseconds (`max_retry_wait`, default 60 s). */
  readonly maxRetryWait?: number | undefined;
  /** Largest reply, in bytes (`max_response_bytes`, default 64 MiB). */
  readonly maxResponseBytes?: number | undefined;
  /** Where lines such as "waiting 60 s before retrying" go (default stderr). */
  readonly warn?: ((message: string) => void) | undefined;
  readonly organization: string | null;
  readonly project: string | null;
}

/** Placeholder key sent to servers that take none (the SDK requires a key). */
export const NO_KEY = "no-key";

/** The first set (non-blank, trimmed) of the environment variables named: core's `readOptionalSetting` order. */
function firstEnv(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): string | undefined {
  return readOptionalSetting({}, [], env, names)?.value;
}

function stringSetting(settings: Readonly<ModelSettings>, key: string, prompt: string): string | undefined {
  const value = settings[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") {
    throw new ConnectionSettingError(`prompt "${prompt}": setting ${key} must be a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function numberSetting(settings: Readonly<ModelSettings>, key: string, prompt: string, what: string): number | undefined {
  const value = settings[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ConnectionSettingError(`prompt "${prompt}": setting ${key} must be a number >= 0 (${what}), got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The preset a prompt uses: the one its `preset` setting names, else `own`.
 * @throws {ConnectionSettingError} when the setting names no known preset.
 */
export function presetFor(own: OpenAIPreset, settings: Readonly<ModelSettings>, prompt: string): OpenAIPreset {
  const name = stringSetting(settings, "preset", prompt);
  if (name === undefined) return own;
  const preset = presets[name];
  if (!preset) {
    throw new ConnectionSettingError(
      `prompt "${prompt}": setting preset is "${name}", which is not a known preset; the presets are: ${Object.keys(presets).join(", ")}`,
    );
  }
  return preset;
}

/** Every preset's own URL: a key may always go there (see `readCredential`). */
const PRESET_URLS = Object.values(presets)
  .map((p) => p.baseURL)
  .filter((url): url is string => url !== undefined);

/** What a run adds to a connection (see {@link resolveConnection}). */
export interface RunOptions {
  /** Hosts the application allows a key to go to (`RunContext.allowedEndpoints`). */
  readonly allowedEndpoints?: readonly string[];
  /** `RunContext.warn`. */
  readonly warn?: (message: string) => void;
  /** A caller retries (`RunContext.reportRateLimit` is set): send each request once. */
  readonly noRetries?: boolean;
}

/** What {@link resolveConnection} last worked out for a preset, and from which inputs. */
interface ResolvedConnection {
  readonly settingValues: ConnectionSettingValues;
  readonly envNames: readonly string[];
  readonly envValues: readonly (string | undefined)[];
  /** Where each of those values came from (see core's `environmentSource`): the trust rule depends on it. */
  readonly envSources: readonly string[];
  /** What the run added: a copy of its allowed endpoints, its warning hook, no retries. */
  readonly allowedEndpoints: readonly string[] | undefined;
  readonly warn: ((message: string) => void) | undefined;
  readonly noRetries: boolean;
  readonly connection: Connection;
}

/** The values of a prompt's {@link CONNECTION_SETTING_KEYS} settings. */
type ConnectionSettingValues = { readonly [key in (typeof CONNECTION_SETTING_KEYS)[number]]: unknown };

/**
 * The connection settings of a prompt's settings, each read by name: every
 * run compares them, and a read by a name written in the code is an inline
 * cache hit where a read by a key taken from a list is a generic lookup.
 */
function connectionSettingValues(settings: Readonly<ModelSettings>): ConnectionSettingValues {
  return {
    api_key: settings.api_key,
    base_url: settings.base_url,
    preset: settings.preset,
    max_retries: settings.max_retries,
    timeout: settings.timeout,
    api_version: settings.api_version,
    organization: settings.organization,
    project: settings.project,
    max_retry_wait: settings.max_retry_wait,
    max_response_bytes: settings.max_response_bytes,
  };
}

/** Whether a prompt's settings have the connection settings `last` holds (see {@link connectionSettingValues}). */
function sameConnectionSettings(settings: Readonly<ModelSettings>, last: ConnectionSettingValues): boolean {
  return (
    settings.api_key === last.api_key &&
    settings.base_url === last.base_url &&
    settings.preset === last.preset &&
    settings.max_retries === last.max_retries &&
    settings.timeout === last.timeout &&
    settings.api_version === last.api_version &&
    settings.organization === last.organization &&
    settings.project === last.project &&
    settings.max_retry_wait === last.max_retry_wait &&
    settings.max_response_bytes === last.max_response_bytes
  );
}

/** The last connection resolved per provider preset: runs of a prompt resolve the same one again and again. */
let lastResolved = new WeakMap<OpenAIPreset, ResolvedConnection>();

/** Every environment variable {@link resolveConnectionAnew} may read for a preset (a superset is fine). */
function envNamesOf(preset: OpenAIPreset): string[] {
  return [
    ...preset.apiKeyEnv,
    ...preset.baseURLEnv,
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "AZURE_OPENAI_ENDPOINT",
    "OPENAI_API_VERSION",
    ALLOW_ENDPOINTS_VARIABLE,
  ];
}

/**
 * Works out the connection of a prompt: the key and base URL through core's
 * `readCredential` (the setting, then the environment, then the `.env`
 * beside the file; a key goes only to the preset's URL or to one set in a
 * source as trusted as the key, or one the user allowed). The result is kept per provider
 * preset with the inputs it came from (the connection settings, the
 * environment variables read and where they came from, what the run adds): when they are the same as last time, the same
 * `Connection` object is returned without resolving it again (so its client
 * is found by identity, see {@link cachedClient}).
 * @param own the provider's preset (the `preset` setting may name another)
 * @param settings the prompt's merged settings
 * @param env the runtime's environment (`process.env` over the `.env` file)
 * @param prompt the prompt's name, for messages
 * @param run what the run adds (allowed endpoints, the warning hook, no retries)
 * @throws {MissingAPIKeyError} when the preset needs a key and none is set.
 * @throws {EndpointNotAllowedError} (core) when the key may not go to the base URL.
 * @throws {ConnectionSettingError} when a base URL or endpoint is needed and missing, or a setting has the wrong type.
 */
export function resolveConnection(
  own: OpenAIPreset,
  settings: Readonly<ModelSettings>,
  env: Readonly<Record<string, string | undefined>>,
  prompt: string,
  run: RunOptions = {},
): Connection {
  const last = lastResolved.get(own);
  if (last && sameInputs(last, settings, env, run)) return last.connection;
  const connection = resolveConnectionAnew(own, settings, env, prompt, run);
  const envNames = last?.connection.preset === connection.preset ? last.envNames : envNamesOf(connection.preset);
  lastResolved.set(own, {
    settingValues: connectionSettingValues(settings),
    envNames,
    envValues: envNames.map((name) => env[name]),
    envSources: envNames.map((name) => environmentSource(env, name)),
    allowedEndpoints: run.allowedEndpoints?.slice(),
    warn: run.warn,
    noRetries: run.noRetries === true,
    connection,
  });
  return connection;
}

function sameInputs(
  last: ResolvedConnection,
  settings: Readonly<ModelSettings>,
  env: Readonly<Record<string, string | undefined>>,
  run: RunOptions,
): boolean {
  if (run.warn !== last.warn || (run.noRetries === true) !== last.noRetries || !sameList(run.allowedEndpoints, last.allowedEndpoints))
    return false;
  if (!sameConnectionSettings(settings, last.settingValues)) return false;
  for (let i = 0; i < last.envNames.length; i++) {
    const name = last.envNames[i]!;
    if (env[name] !== last.envValues[i]) return false;
    if (env[name] !== undefined && environmentSource(env, name) !== last.envSources[i]) return false;
  }
  return true;
}

/** Whether two lists hold the same strings in the same order (absent only equals absent). */
function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function resolveConnectionAnew(
  own: OpenAIPreset,
  settings: Readonly<ModelSettings>,
  env: Readonly<Record<string, string | undefined>>,
  prompt: string,
  run: RunOptions,
): Connection {
  const preset = presetFor(own, settings, prompt);
  stringSetting(settings, "api_key", prompt);
  stringSetting(settings, "base_url", prompt);
  const maxRetries = numberSetting(settings, "max_retries", prompt, "how many times to retry");
  const timeout = numberSetting(settings, "timeout", prompt, "milliseconds per attempt");
  numberSetting(settings, "max_retry_wait", prompt, "milliseconds");
  numberSetting(settings, "max_response_bytes", prompt, "bytes");
  const credential = readCredential({
    service: preset.description,
    prompt,
    settings,
    env,
    keyVariables: preset.apiKeyEnv,
    required: preset.keyRequired,
    missingCredential: () => new MissingAPIKeyError(preset.apiKeyEnv[0] ?? "the API key variable", prompt, preset.keyHelp),
    endpointVariables: preset.azure ? ["AZURE_OPENAI_ENDPOINT"] : preset.baseURLEnv,
    defaultEndpoint: preset.baseURL,
    knownEndpoints: PRESET_URLS,
    allowedEndpoints: run.allowedEndpoints,
  });
  const fetchSettings = providerFetchSettings(settings);
  const organization =
    stringSetting(settings, "organization", prompt) ?? (preset.name === "openai" ? firstEnv(env, ["OPENAI_ORG_ID"]) : undefined);
  const project =
    stringSetting(settings, "project", prompt) ?? (preset.name === "openai" ? firstEnv(env, ["OPENAI_PROJECT_ID"]) : undefined);
  const common = {
    preset,
    apiKey: credential.key ?? NO_KEY,
    maxRetries: run.noRetries ? 0 : maxRetries,
    timeout,
    maxRetryWait: fetchSettings.maxRetryWait,
    maxResponseBytes: fetchSettings.maxResponseBytes,
    warn: run.warn,
    organization: organization ?? null,
    project: project ?? null,
  };
  if (preset.azure) {
    const endpoint = credential.endpoint;
    if (endpoint === undefined) {
      throw new ConnectionSettingError(
        `prompt "${prompt}": AZURE_OPENAI_ENDPOINT is not set: set it (e.g. https://NAME.openai.azure.com) in the environment or the .env file beside the aiconfig file, or give the base_url setting`,
      );
    }
    const apiVersion = stringSetting(settings, "api_version", prompt) ?? firstEnv(env, ["OPENAI_API_VERSION"]) ?? DEFAULT_AZURE_API_VERSION;
    return { ...common, baseURL: undefined, endpoint, apiVersion };
  }
  const baseURL = credential.endpoint;
  if (baseURL === undefined) {
    throw new ConnectionSettingError(
      `prompt "${prompt}": the ${preset.name} provider needs the server's URL: give the base_url setting (e.g. http://127.0.0.1:8000/v1) or set ${preset.baseURLEnv[0]}, or name a preset in the preset setting (${Object.keys(presets).join(", ")})`,
    );
  }
  return { ...common, baseURL, endpoint: undefined, apiVersion: undefined };
}

/**
 * The connection of a run (see {@link resolveConnection}), with what the
 * run context adds: its allowed endpoints and warning hook, and no retries
 * when a caller schedules them.
 */
export function runConnection(
  own: OpenAIPreset,
  ctx: {
    settings: Readonly<ModelSettings>;
    env: Readonly<Record<string, string | undefined>>;
    prompt: { name: string };
    allowedEndpoints?: readonly string[];
    warn?(message: string): void;
    reportRateLimit?: unknown;
  },
): Connection {
  return resolveConnection(own, ctx.settings, ctx.env, ctx.prompt.name, {
    allowedEndpoints: ctx.allowedEndpoints,
    warn: ctx.warn,
    noRetries: ctx.reportRateLimit !== undefined,
  });
}

/** How many clients {@link createClient} keeps (least recently used ones are dropped first). */
export const MAX_CACHED_CLIENTS = 32;

type OpenAISDK = typeof import("openai");

let sdk: OpenAISDK | undefined;

/**
 * The `openai` package, imported on first use and kept: later calls do not go
 * through the module loader again.
 */
export async function loadOpenAISDK(): Promise<OpenAISDK> {
  sdk ??= await import("openai");
  return sdk;
}

/**
 * Clients by {@link clientKey}. The map is private to this module and never
 * listed or logged; its keys hold the API key as the clients themselves do
 * (`client.apiKey`).
 */
const clients = new Map<string, OpenAI>();

/** Clients by the identity of the connections {@link resolveConnection} keeps (the hot path: no key is built). */
let clientsByConnection = new WeakMap<Connection, OpenAI>();

/**
 * The cache key of a connection: every field that goes into the client's
 * options, as JSON (unambiguous, so two connections share a client only when
 * every option is the same).
 */
const warnIds = new WeakMap<object, number>();
let lastWarnId = 0;

/** A number per warning hook, so that runs with different hooks get different clients. */
function warnId(warn: object): number {
  const known = warnIds.get(warn);
  if (known !== undefined) return known;
  lastWarnId += 1;
  warnIds.set(warn, lastWarnId);
  return lastWarnId;
}

function clientKey(connection: Connection): string {
  return JSON.stringify([
    connection.preset.name,
    connection.preset.azure === true,
    connection.apiKey,
    connection.baseURL,
    connection.endpoint,
    connection.apiVersion,
    connection.maxRetries,
    connection.timeout,
    connection.maxRetryWait,
    connection.maxResponseBytes,
    connection.warn ? warnId(connection.warn) : 0,
    connection.organization,
    connection.project,
  ]);
}

/**
 * The SDK client for a connection (`OpenAI`, or `AzureOpenAI` for Azure),
 * loading the `openai` package on first use. Every option is passed
 * explicitly so that the SDK does not read `process.env` on its own.
 *
 * Clients are kept and reused: connections with the same preset, key, base
 * URL or endpoint, API version, retries, timeout, organization and project
 * share one client (the SDK's clients hold no per-request state; a run's
 * `signal` goes with each request). At most {@link MAX_CACHED_CLIENTS} are
 * kept, the least recently used dropped first.
 */
export async function createClient(connection: Connection): Promise<OpenAI> {
  const cached = cachedClient(connection);
  if (cached) return cached;
  const key = clientKey(connection);
  const { AzureOpenAI, OpenAI } = sdk ?? (await loadOpenAISDK());
  const options = {
    apiKey: connection.apiKey,
    organization: connection.organization,
    project: connection.project,
    adminAPIKey: null,
    webhookSecret: null,
    // providerFetch retries (capping Retry-After waits), bounds stalls and reply sizes, and names the URL on faults.
    maxRetries: 0,
    logLevel: "off" as const,
    fetch: providerFetch({
      service: connection.preset.description,
      timeout: connection.timeout,
      maxRetries: connection.maxRetries,
      maxRetryWait: connection.maxRetryWait,
      maxResponseBytes: connection.maxResponseBytes,
      warn: connection.warn,
    }),
    ...(connection.timeout !== undefined ? { timeout: connection.timeout } : {}),
  };
  // The resource's base URL is ENDPOINT/openai (as the SDK builds it from `endpoint`); giving it
  // explicitly keeps the SDK from reading OPENAI_BASE_URL from process.env.
  const client = connection.preset.azure
    ? new AzureOpenAI({
        ...options,
        baseURL: `${(connection.endpoint ?? "").replace(/\/+$/, "")}/openai`,
        apiVersion: connection.apiVersion,
      })
    : // in a page (core's browser build) the SDK refuses to run unless told; the key is then the visitor's own
      new OpenAI({ ...options, baseURL: connection.baseURL, ...(runsInBrowser() ? { dangerouslyAllowBrowser: true } : {}) });
  clients.set(key, client);
  clientsByConnection.set(connection, client);
  if (clients.size > MAX_CACHED_CLIENTS) {
    const oldest = clients.keys().next().value;
    if (oldest !== undefined) clients.delete(oldest);
  }
  return client;
}

/**
 * The kept client of a connection, if {@link createClient} has built one and
 * still holds it; synchronous, for the hot path of a run. A connection object
 * seen before finds its client by identity; another one by its key (and the
 * client is marked as just used, for eviction).
 */
export function cachedClient(connection: Connection): OpenAI | undefined {
  const known = clientsByConnection.get(connection);
  if (known) return known;
  const key = clientKey(connection);
  const client = clients.get(key);
  if (client) {
    // Most recently used last, so that eviction drops the least recently used.
    clients.delete(key);
    clients.set(key, client);
    clientsByConnection.set(connection, client);
  }
  return client;
}

/** How many clients {@link createClient} holds now (at most {@link MAX_CACHED_CLIENTS}). */
export function cachedClientCount(): number {
  return clients.size;
}

/** Drops every kept client (the next {@link createClient} builds a new one). */
export function clearClientCache(): void {
  clients.clear();
  clientsByConnection = new WeakMap();
  lastResolved = new WeakMap();
}
