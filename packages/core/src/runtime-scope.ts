/**
 * The {@link RunScope} an `AIConfigRuntime` hands resolving and running: what
 * they read from the runtime (its document, providers, folder, environment,
 * prompts) and its events.
 *
 * A class rather than an object literal with getters: V8 keeps a literal
 * with accessors in dictionary mode, so every read of `scope.config`,
 * `scope.listening`, … on a run's path was a hash lookup plus a getter call;
 * instances of a class have one fast shape and the getters live on its
 * prototype, where V8's inline caches find them.
 *
 * @packageDocumentation
 */
import type { RuntimeEvent, RuntimeEventName } from "./events.js";
import { environmentSource } from "./provider-utils/environment-sources.js";
import { ALLOW_ENDPOINTS_VARIABLE } from "./provider-utils/read-credential.js";
import type { ProviderRegistry } from "./registry.js";
import type { RunScope } from "./run-prompt.js";
import type { AIConfig, Prompt } from "./types.js";

/** What a {@link RuntimeScope} reads from its runtime (its own members, and accessors of its private ones). */
export interface RuntimeScopeParts {
  /** The runtime: its document, providers and file, read on each use (they can be replaced). */
  readonly runtime: { readonly config: AIConfig; readonly registry: ProviderRegistry; readonly filePath: string | undefined };
  readonly strict: boolean;
  readonly outputFiles: boolean;
  readonly allowPaths: readonly string[] | undefined;
  /** `RuntimeOptions.allowHosts`. */
  readonly allowHosts: readonly string[] | undefined;
  /** The folder of the runtime's file now (`undefined` without a file). */
  readonly configDir: () => string | undefined;
  readonly environment: () => Record<string, string | undefined>;
  readonly getPrompt: (name: string) => Prompt | undefined;
  readonly emit: (name: RuntimeEventName, extra: Partial<RuntimeEvent>) => void;
  /** The runtime's event callbacks (only their count is read: `listening`). */
  readonly events: { readonly size: number };
}

/** A runtime's {@link RunScope} (see the module docs). */
export class RuntimeScope implements RunScope {
  readonly strict: boolean;
  readonly outputFiles: boolean;
  readonly allowPaths: readonly string[] | undefined;
  readonly environment: () => Record<string, string | undefined>;
  readonly getPrompt: (name: string) => Prompt | undefined;
  readonly emit: (name: RuntimeEventName, extra: Partial<RuntimeEvent>) => void;
  readonly #allowHosts: readonly string[] | undefined;
  readonly #runtime: RuntimeScopeParts["runtime"];
  readonly #configDir: () => string | undefined;
  readonly #events: { readonly size: number };

  constructor(parts: RuntimeScopeParts) {
    this.strict = parts.strict;
    this.outputFiles = parts.outputFiles;
    this.allowPaths = parts.allowPaths;
    this.#allowHosts = parts.allowHosts;
    this.environment = parts.environment;
    this.getPrompt = parts.getPrompt;
    this.emit = parts.emit;
    this.#runtime = parts.runtime;
    this.#configDir = parts.configDir;
    this.#events = parts.events;
  }

  /**
   * Hosts attachment URLs may be fetched from even when private: the
   * runtime's `allowHosts` and the hosts of `AICONFIG_ALLOW_ENDPOINTS` when
   * the user's environment sets it (a `.env` beside the file does not count).
   */
  get allowHosts(): readonly string[] {
    const env = this.environment();
    const variable = env[ALLOW_ENDPOINTS_VARIABLE];
    const own = this.#allowHosts ?? [];
    if (!variable || environmentSource(env, ALLOW_ENDPOINTS_VARIABLE) !== "environment") return own;
    return [...own, ...variable.split(",")];
  }

  /** The runtime's document. */
  get config(): AIConfig {
    return this.#runtime.config;
  }

  /** The runtime's providers. */
  get registry(): ProviderRegistry {
    return this.#runtime.registry;
  }

  /** The runtime's file (`undefined` when it has none). */
  get filePath(): string | undefined {
    return this.#runtime.filePath;
  }

  /** The folder of the runtime's file (`undefined` when it has none). */
  get configDir(): string | undefined {
    return this.#configDir();
  }

  /** Whether any callback listens to the runtime's events. */
  get listening(): boolean {
    return this.#events.size > 0;
  }
}
