/**
 * The espeak-ng provider of Node: espeak-ng's WebAssembly read from its npm package.
 *
 * @packageDocumentation
 */
import type { Output, Provider, RunContext } from "@aiconfig-ts/core";
import { synthesize } from "./espeak-engine.js";
import { createEspeakProvider, type EspeakRequest, runEspeakWith } from "./espeak-provider.js";

/**
 * Speaks a request and stores the WAV through `ctx.storeBinary`.
 *
 * Output: `{output_type: "execute_result", execution_count: 0, data: {kind, value}, mime_type: "audio/wav",
 * metadata: {voice, speed, sample_rate, channels, duration_seconds}}` (`sample_rate` in Hz, the duration in seconds).
 * @throws {EspeakError} when espeak-ng fails; the signal's reason when the run is cancelled
 */
export function runEspeak(request: EspeakRequest, ctx: RunContext): Promise<Output[]> {
  return runEspeakWith(synthesize, request, ctx);
}

/**
 * Text-to-speech with espeak-ng (WebAssembly build, in process, offline):
 * id `espeak`, aliases `espeak-ng` and `local-tts`; serves the models
 * `espeak-ng` and `espeak`. Settings: `espeakSettingsSchema`.
 */
export const espeakProvider: Provider<EspeakRequest> = createEspeakProvider(
  synthesize,
  "Offline text-to-speech with espeak-ng (WebAssembly): the prompt's text as a WAV file",
);
