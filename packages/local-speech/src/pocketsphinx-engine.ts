/**
 * Runs CMU pocketsphinx on audio: `sox` converts the audio to what the
 * acoustic model takes (16 kHz, mono, 16-bit PCM WAV), then
 * `pocketsphinx_continuous -infile FILE` (Debian's pocketsphinx
 * 0.8+5prealpha) prints one line per utterance it hears.
 *
 * Both programs come from Debian (`scripts/install-system-deps.sh`).
 *
 * @packageDocumentation
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { throwIfAborted } from "./abort.js";
import { PocketsphinxError } from "./errors.js";
import type { PocketsphinxSettings } from "./pocketsphinx-settings.js";
import { readWavInfo } from "./wav.js";

const run = promisify(execFile);

/** The recognizer program (Debian package `pocketsphinx`). */
export const POCKETSPHINX_PROGRAM = "pocketsphinx_continuous";

/** The sample rate the US English acoustic model was trained on, in Hz. */
export const MODEL_SAMPLE_RATE = 16000;

const INSTALL_HINT = "install it with `bash scripts/install-system-deps.sh` (Debian: apt-get install pocketsphinx pocketsphinx-en-us sox)";

/** sox's file type for each audio MIME type (sox reads these without extra Debian packages, mp3 needs libsox-fmt-mp3). */
const SOX_TYPES: Readonly<Record<string, string>> = {
  "audio/wav": "wav",
  "audio/wave": "wav",
  "audio/x-wav": "wav",
  "audio/vnd.wave": "wav",
  "audio/flac": "flac",
  "audio/x-flac": "flac",
  "audio/ogg": "ogg",
  "audio/vorbis": "ogg",
  "audio/mpeg": "mp3",
  "audio/mp3": "mp3",
  "audio/aiff": "aiff",
  "audio/x-aiff": "aiff",
  "audio/basic": "au",
};

/** The sox file type for a MIME type (parameters ignored); `wav` when unknown. */
export function soxType(mimeType: string): string {
  return SOX_TYPES[mimeType.split(";")[0]!.trim().toLowerCase()] ?? "wav";
}

/** What the recognizer heard. */
export interface Transcript {
  /** The utterances joined by spaces; `""` when nothing was recognized. */
  text: string;
  /** One entry per utterance (stretch of speech between silences) that pocketsphinx decoded. */
  utterances: string[];
  /** Length of the audio decoded, in seconds. */
  durationSeconds: number;
}

async function exec(program: string, args: string[], signal: AbortSignal): Promise<string> {
  try {
    const { stdout } = await run(program, args, { signal, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    throwIfAborted(signal);
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new PocketsphinxError(`${program} is not installed: ${INSTALL_HINT}`);
    throw error;
  }
}

/** The ERROR and FATAL lines of a pocketsphinx log, without their source locations. */
function logErrors(log: string): string {
  return log
    .split("\n")
    .filter((l) => /^(ERROR|FATAL)/.test(l))
    .map((l) => l.replace(/^(ERROR|FATAL(?:_ERROR)?): "[^"]*", line \d+: /, ""))
    .join("; ");
}

/**
 * Transcribes audio.
 * @param audio the bytes of an audio file of a type sox reads (WAV, FLAC, Ogg Vorbis, AIFF, ...)
 * @param mimeType the audio's MIME type (chooses sox's reader)
 * @param settings grammar and model paths (see {@link readPocketsphinxSettings})
 * @param signal stops the programs when aborted
 * @throws {PocketsphinxError} when a program is missing, the audio cannot be read, or pocketsphinx fails
 *   (e.g. a grammar word missing from the dictionary); the signal's reason when aborted
 */
export async function transcribe(
  audio: Uint8Array,
  mimeType: string,
  settings: PocketsphinxSettings,
  signal: AbortSignal,
): Promise<Transcript> {
  const dir = await mkdtemp(join(tmpdir(), "aiconfig-pocketsphinx-"));
  try {
    const type = soxType(mimeType);
    const input = join(dir, `input.${type}`);
    await writeFile(input, audio);
    let speech = input;
    let info = type === "wav" ? readWavInfo(audio) : undefined;
    const ready = info?.format === 1 && info.channels === 1 && info.bitsPerSample === 16 && info.sampleRate === MODEL_SAMPLE_RATE;
    if (!ready) {
      speech = join(dir, "speech.wav");
      try {
        await exec(
          "sox",
          ["-t", type, input, "-r", String(MODEL_SAMPLE_RATE), "-c", "1", "-b", "16", "-e", "signed-integer", speech],
          signal,
        );
      } catch (error) {
        if (error instanceof PocketsphinxError || signal.aborted) throw error;
        const said = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
        throw new PocketsphinxError(`sox cannot read the ${mimeType} audio: ${said}`);
      }
      info = readWavInfo(await readFile(speech));
    }
    const log = join(dir, "pocketsphinx.log");
    const args = ["-infile", speech, "-logfn", log];
    if (settings.grammar !== undefined) {
      const grammar = join(dir, "grammar.gram");
      await writeFile(grammar, settings.grammar);
      args.push("-jsgf", grammar);
    }
    if (settings.hmm) args.push("-hmm", settings.hmm);
    if (settings.dict) args.push("-dict", settings.dict);
    if (settings.lm) args.push("-lm", settings.lm);
    let stdout: string;
    try {
      stdout = await exec(POCKETSPHINX_PROGRAM, args, signal);
    } catch (error) {
      if (error instanceof PocketsphinxError || signal.aborted) throw error;
      const said = logErrors(await readFile(log, "utf8").catch(() => "")) || (error as Error).message;
      throw new PocketsphinxError(`pocketsphinx failed: ${said}`);
    }
    const utterances = stdout
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "");
    return { text: utterances.join(" "), utterances, durationSeconds: info?.durationSeconds ?? 0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
