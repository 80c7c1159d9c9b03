/**
 * Runs espeak-ng, compiled to WebAssembly (the npm package `espeak-ng`), in
 * this process: no program to install, no network.
 *
 * The package is espeak-ng's command-line program built with Emscripten:
 * each call instantiates it afresh with the arguments, runs its `main`, and
 * reads the WAV file it wrote to its in-memory file system. The compiled
 * WebAssembly module (18 MB, voices and dictionaries included) is compiled
 * once per process and kept.
 *
 * @packageDocumentation
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { EspeakError } from "./errors.js";
import { type EspeakSettings, espeakArguments } from "./espeak-settings.js";

/** The Emscripten module options and instance this file uses. */
interface EmscriptenModule {
  FS: {
    writeFile(path: string, data: string | Uint8Array): void;
    readFile(path: string): Uint8Array;
  };
}
interface EmscriptenOptions {
  arguments: string[];
  preRun: ((module: EmscriptenModule) => void)[];
  print(line: string): void;
  printErr(line: string): void;
  quit(status: number, toThrow: unknown): never;
  instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
}
type EspeakFactory = (options: EmscriptenOptions) => Promise<EmscriptenModule>;

let compiled: Promise<{ factory: EspeakFactory; module: WebAssembly.Module }> | undefined;

/** Loads the package's JavaScript and compiles its WebAssembly, once per process. */
function loadEspeak(): Promise<{ factory: EspeakFactory; module: WebAssembly.Module }> {
  compiled ??= (async () => {
    const main = createRequire(import.meta.url).resolve("espeak-ng");
    const { default: factory } = (await import("espeak-ng" as string)) as { default: EspeakFactory };
    const module = await WebAssembly.compile(await readFile(join(dirname(main), "espeak-ng.wasm")));
    return { factory, module };
  })();
  compiled.catch(() => {
    compiled = undefined;
  });
  return compiled;
}

/** What espeak-ng prints that is not about the speech (Emscripten's note on exit). */
const NOISE = /^program exited \(with status: \d+\), but keepRuntimeAlive\(\)/;

/**
 * Speaks a text into a WAV file (16-bit mono PCM at 22,050 Hz, as espeak-ng writes it).
 * @param text the text (SSML when `settings.ssml`)
 * @param settings voice, speed, pitch, amplitude, gap (see {@link readEspeakSettings})
 * @returns the bytes of the WAV file
 * @throws {EspeakError} when espeak-ng fails (an unknown voice, ...), with what it printed
 */
export async function synthesize(text: string, settings: EspeakSettings): Promise<Uint8Array> {
  const { factory, module } = await loadEspeak();
  const messages: string[] = [];
  let status = 0;
  let failInstantiation: (error: unknown) => void = () => {};
  const instantiationFailed = new Promise<never>((_, reject) => {
    failInstantiation = reject;
  });
  const started = factory({
    // The text goes in a file (`-f`) so that a text starting with "-" is never read as an option.
    arguments: [...espeakArguments(settings), "-b", "1", "-w", "/speech.wav", "-f", "/input.txt"],
    preRun: [(m) => m.FS.writeFile("/input.txt", text)],
    print: (line) => messages.push(line),
    printErr: (line) => {
      if (!NOISE.test(line)) messages.push(line);
    },
    // By default Emscripten sets process.exitCode when the program exits with a status: keep it to this call.
    quit: (code, toThrow) => {
      status = code;
      throw toThrow;
    },
    instantiateWasm: (imports, receive) => {
      WebAssembly.instantiate(module, imports).then(
        (instance) => receive(instance, module),
        (error: unknown) => failInstantiation(new EspeakError(`espeak-ng could not start: ${String(error)}`)),
      );
      return {};
    },
  });
  const instance = await Promise.race([started, instantiationFailed]);
  let wav: Uint8Array | undefined;
  try {
    wav = instance.FS.readFile("/speech.wav");
  } catch {
    wav = undefined;
  }
  if (status !== 0 || !wav || wav.length <= 44) {
    const said = messages.join(" ").trim() || `exit status ${status}`;
    throw new EspeakError(`espeak-ng (voice "${settings.voice}") made no audio: ${said}`);
  }
  return wav;
}
