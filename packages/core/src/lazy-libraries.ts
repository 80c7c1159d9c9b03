/**
 * Synchronous, lazy loaders of the format libraries (`yaml`, `js-yaml`,
 * `jsonc-parser`, `ajv`). Importing `@aiconfig-ts/core` must stay cheap, so these are loaded
 * with `createRequire` on first use, inside the functions that need them, and
 * cached. Only types are imported statically.
 *
 * @packageDocumentation
 */
import { requireLibrary } from "#platform";

const require = requireLibrary;

let yamlModule: typeof import("yaml") | undefined;
let jsYamlModule: typeof import("js-yaml") | undefined;
let jsoncModule: typeof import("jsonc-parser") | undefined;
let ajvClass: typeof import("ajv").default | undefined;

/** The `yaml` package (eemeli/yaml v2), loaded on first call. */
export function loadYaml(): typeof import("yaml") {
  yamlModule ??= require("yaml") as typeof import("yaml");
  return yamlModule;
}

/** The `js-yaml` package (nodeca/js-yaml v4: a fast YAML reader, no positions, no comments), loaded on first call. */
export function loadJsYaml(): typeof import("js-yaml") {
  jsYamlModule ??= require("js-yaml") as typeof import("js-yaml");
  return jsYamlModule;
}

/** The `jsonc-parser` package (Microsoft's JSON-with-comments scanner/parser), loaded on first call. */
export function loadJsoncParser(): typeof import("jsonc-parser") {
  jsoncModule ??= require("jsonc-parser") as typeof import("jsonc-parser");
  return jsoncModule;
}

/**
 * The `Ajv` class (ajv v8, JSON Schema draft-07 by default), loaded on first
 * call. (The aiconfig schema itself needs no ajv at run time: see
 * `schema-errors.ts`.)
 */
export function loadAjv(): typeof import("ajv").default {
  if (!ajvClass) {
    const mod = require("ajv") as { default?: typeof import("ajv").default } & typeof import("ajv").default;
    ajvClass = mod.default ?? mod;
  }
  return ajvClass;
}
