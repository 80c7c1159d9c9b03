/**
 * Runs espeak-ng compiled to WebAssembly (the npm package `espeak-ng`, an
 * Emscripten build of its command-line program), in Node or in a browser:
 * each call instantiates the program afresh with the arguments, runs its
 * `main`, and reads the WAV file it wrote to its in-memory file system.
 * Where the WebAssembly comes from (a file in Node, the site in a browser)
 * is the caller's: `espeak-engine.ts`, `espeak-engine.browser.ts`.
 *
 * @packageDocumentation
 */
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
/** The default export of the package `espeak-ng`: an Emscripten module factory. */
export type EspeakFactory = (options: EmscriptenOptions) => Promise<EmscriptenModule>;

/** The package's factory and its WebAssembly, compiled once and kept. */
export interface CompiledEspeak {
  readonly factory: EspeakFactory;
  readonly module: WebAssembly.Module;
}

/** What espeak-ng prints that is not about the speech (Emscripten's note on exit). */
const NOISE = /^program exited \(with status: \d+\), but keepRuntimeAlive\(\)/;

/**
 * Speaks a text into a WAV file (16-bit mono PCM at 22,050 Hz, as espeak-ng writes it)
 * on a compiled espeak-ng: a fresh instance of the program per call.
 * @param compiled the package's factory and its compiled WebAssembly
 * @param text the text (SSML when `settings.ssml`)
 * @param settings voice, speed, pitch, amplitude, gap (see {@link readEspeakSettings})
 * @returns the bytes of the WAV file
 * @throws {EspeakError} when espeak-ng fails (an unknown voice, ...), with what it printed
 */
export async function synthesizeWith({ factory, module }: CompiledEspeak, text: string, settings: EspeakSettings): Promise<Uint8Array> {
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
