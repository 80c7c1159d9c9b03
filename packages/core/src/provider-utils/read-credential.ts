/**
 * Reads a provider's key (credential) and the endpoint it goes to, and
 * enforces where a key may go. One implementation for every provider
 * (after vercel/ai's `provider-utils` `loadApiKey` and `loadOptionalSetting`).
 *
 * Order of the key: the settings named in `keySettings` (the aiconfig file),
 * then the environment variables named in `keyVariables` in the environment
 * record the runtime gives (the user's environment, then the `.env` beside the
 * aiconfig file: the process wins, as dotenv does); the first non-empty
 * value wins. The endpoint: `endpointSettings`, then `endpointVariables`, then
 * the provider's default.
 *
 * The rule (issue 9, "Keys and endpoints"): a key goes only to
 * - the provider's own endpoint or a preset's (`defaultEndpoint`, `knownEndpoints`);
 * - an endpoint set in a source at least as trusted as the key: the file's
 *   settings < the `.env` beside it < the user's environment (so a `base_url`
 *   in a prompt, or an `OPENAI_BASE_URL` in a `.env` beside the file, never
 *   receives the shell's `OPENAI_API_KEY`);
 * - a host the user allowed: `--allow-endpoint HOST` on the CLI, the
 *   `AICONFIG_ALLOW_ENDPOINTS=host1,host2` variable of the user's environment
 *   (not of a `.env`), or the `allowedEndpoints` option.
 * Otherwise it throws {@link EndpointNotAllowedError}, one line naming the
 * endpoint and how to allow it. Browser-safe.
 *
 * @packageDocumentation
 */
import { EndpointNotAllowedError, MissingCredentialError } from "../errors.js";
import type { ModelSettings } from "../types.js";
import { dotenvFile, environmentSource, SOURCE_TRUST, type ValueSource } from "./environment-sources.js";

/** The environment variable that lists endpoints a key may go to anyway (`host`, `host:port` or a URL, comma-separated). */
export const ALLOW_ENDPOINTS_VARIABLE = "AICONFIG_ALLOW_ENDPOINTS";

/** What {@link readCredential} reads. */
export interface CredentialOptions {
  /** The service, for messages, e.g. `OpenAI`. */
  readonly service: string;
  /** The prompt being run, for messages. */
  readonly prompt: string;
  /** The prompt's merged settings. */
  readonly settings: Readonly<ModelSettings>;
  /** The environment record the runtime gives (`ResolveContext.env` / `RunContext.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Settings that may hold the key, first set wins (default `["api_key"]`). */
  readonly keySettings?: readonly string[];
  /** Environment variables that may hold the key, first set wins, e.g. `["OPENAI_API_KEY"]`. */
  readonly keyVariables: readonly string[];
  /** Whether a missing key is an error (default `true`); keyless local servers say `false`. */
  readonly required?: boolean;
  /** Where to get a key, for the missing-key message. */
  readonly keyHelp?: string;
  /** Makes the missing-key error (default {@link MissingCredentialError}); packages keep their own subclass names this way. */
  readonly missingCredential?: (message: string) => Error;
  /** Settings that may name the endpoint, first set wins (default `["base_url"]`). */
  readonly endpointSettings?: readonly string[];
  /** Environment variables that may name the endpoint, first set wins, e.g. `["OPENAI_BASE_URL"]`. */
  readonly endpointVariables?: readonly string[];
  /** The provider's own endpoint (or its preset's), used when nothing sets one; a key may always go there. */
  readonly defaultEndpoint?: string;
  /** Other endpoints a key may always go to (e.g. every preset's URL). */
  readonly knownEndpoints?: readonly string[];
  /** Hosts or URLs the application allowed (the SDK option), besides {@link ALLOW_ENDPOINTS_VARIABLE}. */
  readonly allowedEndpoints?: readonly string[];
}

/** Where a value came from: a {@link ValueSource}, or the provider's `default`. */
export type CredentialSource = ValueSource | "default";

/** The key and the endpoint of a run (the key is never logged or stored). */
export interface Credential {
  /** The key; `undefined` when none is set and none is required. */
  readonly key: string | undefined;
  /** Where the key came from. */
  readonly keySource: ValueSource | undefined;
  /** The setting or variable that held the key, e.g. `OPENAI_API_KEY`. */
  readonly keyName: string | undefined;
  /** The endpoint; `undefined` when nothing sets one and there is no default. */
  readonly endpoint: string | undefined;
  /** Where the endpoint came from. */
  readonly endpointSource: CredentialSource | undefined;
  /** The setting or variable that named the endpoint. */
  readonly endpointName: string | undefined;
}

/** A value found by {@link readOptionalSetting}. */
export interface FoundSetting {
  /** The value, trimmed. */
  readonly value: string;
  /** Where it came from. */
  readonly source: ValueSource;
  /** The setting or variable that held it. */
  readonly name: string;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * The first non-empty string (trimmed) among the settings named, then the
 * environment variables named (the user's environment over the `.env`), and
 * where it came from: the order {@link readCredential} reads keys and
 * endpoints in, for a provider's other optional settings (after vercel/ai's
 * `loadOptionalSetting`). Blank values count as unset.
 *
 * @param settings - the prompt's merged settings.
 * @param settingNames - settings that may hold the value, first set wins.
 * @param env - the environment record the runtime gives.
 * @param variables - environment variables that may hold the value, first set wins.
 * @returns `undefined` when none is set.
 */
export function readOptionalSetting(
  settings: Readonly<ModelSettings>,
  settingNames: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  variables: readonly string[] = [],
): FoundSetting | undefined {
  for (const name of settingNames) {
    const value = nonEmpty(settings[name]);
    if (value !== undefined) return { value, source: "settings", name };
  }
  for (const name of variables) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) return { value, source: environmentSource(env, name), name };
  }
  return undefined;
}

/**
 * A URL as it may be shown: without user name, password, query or fragment
 * (Gemini puts its key in `?key=`).
 */
export function displayURL(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    parsed.hash = "";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, "//").replace(/[?#].*$/, "");
  }
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Whether an allow-list entry (`host`, `host:port` or a URL) covers a URL. */
function allows(entry: string, url: URL): boolean {
  const e = entry.trim().toLowerCase();
  if (e === "") return false;
  if (e.includes("://")) return parse(e)?.origin === url.origin;
  return e === url.host.toLowerCase() || e === url.hostname.toLowerCase();
}

/** The hosts the user allowed: the option, and {@link ALLOW_ENDPOINTS_VARIABLE} when it is the user's own (not a `.env`'s). */
function allowList(options: CredentialOptions): string[] {
  const list = [...(options.allowedEndpoints ?? [])];
  const variable = options.env[ALLOW_ENDPOINTS_VARIABLE];
  if (variable && environmentSource(options.env, ALLOW_ENDPOINTS_VARIABLE) === "environment") list.push(...variable.split(","));
  return list;
}

function describeSource(found: { source: ValueSource; name: string }, env: Readonly<Record<string, string | undefined>>): string {
  switch (found.source) {
    case "settings":
      return `the ${found.name} setting in the aiconfig file`;
    case "dotenv":
      return `${found.name} in ${dotenvFile(env) ?? "the .env file beside the aiconfig file"}`;
    default:
      return `${found.name} in your environment`;
  }
}

/**
 * Checks that a key may go to an endpoint (see the rule in this module's docs).
 * @throws {EndpointNotAllowedError} when it may not.
 */
export function checkEndpoint(options: CredentialOptions, key: FoundSetting, endpoint: FoundSetting): void {
  if (SOURCE_TRUST[endpoint.source] >= SOURCE_TRUST[key.source]) return;
  const url = parse(endpoint.value);
  const known = [options.defaultEndpoint, ...(options.knownEndpoints ?? [])].filter((e): e is string => e !== undefined);
  if (url && known.some((k) => parse(k)?.origin === url.origin)) return;
  if (url && allowList(options).some((entry) => allows(entry, url))) return;
  const host = url?.host ?? endpoint.value;
  const shown = displayURL(endpoint.value);
  throw new EndpointNotAllowedError(
    shown,
    host,
    `prompt "${options.prompt}": not sending the ${options.service} key from ${describeSource(key, options.env)} to ${shown}, which ${describeSource(endpoint, options.env)} chose: if you trust that server, allow it with --allow-endpoint ${host} (or ${ALLOW_ENDPOINTS_VARIABLE}=${host} in your environment), or set the key in the same place as the endpoint`,
  );
}

/**
 * Reads the key and the endpoint of a run and checks that the key may go
 * there (see this module's docs for the order and the rule).
 * @throws {MissingCredentialError} (or `missingCredential`'s error) when a required key is not set, naming the variable and where to put it.
 * @throws {EndpointNotAllowedError} when the key may not go to the endpoint.
 */
export function readCredential(options: CredentialOptions): Credential {
  const { settings, env } = options;
  const key = readOptionalSetting(settings, options.keySettings ?? ["api_key"], env, options.keyVariables);
  if (key === undefined && options.required !== false) {
    const variable = options.keyVariables[0] ?? "the key variable";
    const message = `prompt "${options.prompt}": ${variable} is not set: set it in the environment or in a .env file beside the aiconfig file${
      (options.keySettings ?? ["api_key"]).length ? `, or give the ${(options.keySettings ?? ["api_key"])[0]} setting` : ""
    }${options.keyHelp ? ` (get a key at ${options.keyHelp})` : ""}`;
    throw options.missingCredential?.(message) ?? new MissingCredentialError(message);
  }
  const endpoint = readOptionalSetting(settings, options.endpointSettings ?? ["base_url"], env, options.endpointVariables ?? []);
  if (key !== undefined && endpoint !== undefined) checkEndpoint(options, key, endpoint);
  return {
    key: key?.value,
    keySource: key?.source,
    keyName: key?.name,
    endpoint: endpoint?.value ?? options.defaultEndpoint,
    endpointSource: endpoint?.source ?? (options.defaultEndpoint !== undefined ? "default" : undefined),
    endpointName: endpoint?.name,
  };
}
