/**
 * Writing aiconfig files: serialization to JSON or YAML that keeps every
 * property (including unknown, user-defined ones). The atomic replacement of
 * the file on disk is `write-file-atomic.ts` (Node only).
 *
 * Sources: the AIConfig specification (`shared/seeds/specification.md`, extra
 * properties are allowed at every level); the Python SDK's
 * `AIConfigRuntime.save(include_outputs=False)`, which leaves the `outputs`
 * property out; `yaml` v2 `stringify` (https://eemeli.org/yaml/).
 *
 * @packageDocumentation
 */
import { readFileSync } from "#platform";
import { type ConfigFormat, formatFromExtension } from "./config-format.js";
import { loadYaml } from "./lazy-libraries.js";
import type { AIConfig } from "./types.js";
import { updateConfigText } from "./update-config-text.js";

/** Options of {@link serializeConfig}. */
export interface SerializeOptions {
  /** Keep each prompt's `outputs`; when `false` the property is left out. Default `true`. */
  includeOutputs?: boolean;
}

/**
 * Serializes an aiconfig. JSON: 2-space indent and a trailing newline. YAML:
 * block style, long lines not folded, multi-line strings as block literals,
 * no anchors/aliases. Every property is kept, at every level, in its order.
 * The input is never changed (outputs are left out of a shallow copy).
 *
 * @param config - the document (any JSON-compatible data with the AIConfig shape).
 * @param format - `"json"` or `"yaml"`.
 */
export function serializeConfig(config: AIConfig, format: ConfigFormat, options: SerializeOptions = {}): string {
  const data = options.includeOutputs === false ? withoutOutputs(config) : config;
  if (format === "json") return `${JSON.stringify(data, null, 2)}\n`;
  return loadYaml().stringify(data, { lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * The text to save `config` as at `path`: the file's current text edited
 * only where the document differs (see `updateConfigText`: indentation,
 * layout and comments elsewhere are kept, and an unchanged document gives the
 * same bytes), or {@link serializeConfig}'s text for a new file, a file in
 * another format, or one that cannot be edited faithfully.
 *
 * @param path - the file to be written (read here when it exists).
 */
export function serializeConfigFor(path: string, config: AIConfig, format: ConfigFormat, options: SerializeOptions = {}): string {
  let oldText: string;
  try {
    oldText = readFileSync(path, "utf8");
  } catch {
    return serializeConfig(config, format, options);
  }
  const data = options.includeOutputs === false ? withoutOutputs(config) : config;
  return updateConfigText(oldText, format, data) ?? serializeConfig(config, format, options);
}

/** A shallow copy of `config` whose prompts (also copies) have no `outputs` property. */
function withoutOutputs(config: AIConfig): AIConfig {
  if (!Array.isArray(config.prompts)) return config;
  return {
    ...config,
    prompts: config.prompts.map((p) => {
      if (p === null || typeof p !== "object" || !("outputs" in p)) return p;
      const { outputs: _outputs, ...rest } = p;
      return rest as typeof p;
    }),
  };
}

/**
 * The format to write a path in: `.yaml`/`.yml` -> `"yaml"`, anything else
 * (`.json`, no or another extension) -> `"json"`.
 */
export function formatForPath(path: string): ConfigFormat {
  return formatFromExtension(path) ?? "json";
}
