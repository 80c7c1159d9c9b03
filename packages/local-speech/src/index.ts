/**
 * `@aiconfig-ts/local-speech`: offline speech providers for AIConfig.
 *
 * - `espeak` ({@link espeakProvider}): text-to-speech with espeak-ng, compiled
 *   to WebAssembly (npm `espeak-ng`), in process; output `audio/wav`.
 * - `pocketsphinx` ({@link pocketsphinxProvider}): speech recognition with
 *   Debian's pocketsphinx (a child process); accurate with a `phrases` list.
 *
 * ```ts
 * import { register } from "@aiconfig-ts/local-speech";
 * register(); // or register(runtime.registry)
 * ```
 *
 * @packageDocumentation
 */
export { throwIfAborted } from "./abort.js";
export { EspeakError, PocketsphinxError, SpeechInputError, SpeechSettingsError } from "./errors.js";
export {
  dictionariesForVoices,
  type EmbeddedFile,
  espeakEmbeddedFiles,
  type TrimmedEspeak,
  trimmedEspeakWasm,
} from "./espeak-data.js";
export { espeakScriptPath, espeakWasmPath, loadEspeak, synthesize } from "./espeak-engine.js";
export {
  type CompiledEspeak,
  dictionaryOf,
  ESPEAK_DATA_DIR,
  type EspeakFactory,
  type SynthesizeOptions,
  synthesizeWith,
} from "./espeak-wasm.js";
export { espeakProvider, runEspeak } from "./espeak-node-provider.js";
export {
  buildEspeakRequest,
  createEspeakProvider,
  ESPEAK_MODELS,
  type EspeakRequest,
  runEspeakWith,
  type Synthesize,
  serializeEspeakRequest,
} from "./espeak-provider.js";
export {
  DEFAULT_VOICE,
  ESPEAK_RANGES,
  type EspeakSettings,
  espeakArguments,
  espeakSettingsSchema,
  readEspeakSettings,
} from "./espeak-settings.js";
export { normalizePhrase, phrasesGrammar } from "./jsgf.js";
export { MODEL_SAMPLE_RATE, POCKETSPHINX_PROGRAM, soxType, type Transcript, transcribe } from "./pocketsphinx-engine.js";
export {
  AUDIO_BYTES,
  buildPocketsphinxRequest,
  POCKETSPHINX_MODELS,
  type PocketsphinxRequest,
  pocketsphinxProvider,
  runPocketsphinx,
} from "./pocketsphinx-provider.js";
export { type PocketsphinxSettings, pocketsphinxSettingsSchema, readPocketsphinxSettings } from "./pocketsphinx-settings.js";
export { register } from "./register.js";
export { readWavInfo, type WavInfo } from "./wav.js";
export { type WordErrors, wordErrorRate, wordErrors } from "./word-error-rate.js";
