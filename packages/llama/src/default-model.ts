/**
 * The default model: `stories260K.gguf`, a tiny Llama-architecture model
 * trained on TinyStories that continues text as a children's story.
 *
 * Source: karpathy's llama2.c "tinyllamas" (MIT), published as
 * `tinyllamas/stories260K.gguf` in the Hugging Face repository
 * `ggml-org/models-moved` (formerly `ggml-org/models`); size and sha256 pinned
 * below, as other public scripts pin them.
 *
 * @packageDocumentation
 */

/** Facts about a downloadable model file. */
export interface DefaultModelInfo {
  /** Model name that aiconfig files use (`metadata.model`). */
  readonly name: string;
  /** File name in the models folder. */
  readonly file: string;
  /** Size of the file, in bytes. */
  readonly bytes: number;
  /** SHA-256 of the file, lowercase hex. */
  readonly sha256: string;
  /** Whether the GGUF has a chat template (it has not: it is a base model). */
  readonly chat: boolean;
  /** URL folder the file is downloaded from (a pinned revision); `AICONFIG_MODEL_URL_BASE` overrides it. */
  readonly urlBase: string;
  /** Path of the file below {@link DefaultModelInfo.urlBase}. */
  readonly urlPath: string;
  /** Licence of the weights. */
  readonly license: string;
}

/**
 * The default model, downloaded on first use when it is not in the models
 * folder (see `ensureDefaultModel`).
 */
export const DEFAULT_MODEL: DefaultModelInfo = Object.freeze({
  name: "stories260K",
  file: "stories260K.gguf",
  bytes: 1_185_376,
  sha256: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
  chat: false,
  urlBase: "https://huggingface.co/ggml-org/models-moved/resolve/499bc8821c6b12b4e53c5bffcb21ec206f212d81",
  urlPath: "tinyllamas/stories260K.gguf",
  license: "MIT",
});

/**
 * The URL the default model is downloaded from.
 * @param urlBase folder URL to use instead of {@link DEFAULT_MODEL}'s (e.g. a
 *   local mirror, or a test server); a trailing `/` is allowed.
 */
export function defaultModelUrl(urlBase: string = DEFAULT_MODEL.urlBase): string {
  return `${urlBase.replace(/\/+$/, "")}/${DEFAULT_MODEL.urlPath}`;
}
