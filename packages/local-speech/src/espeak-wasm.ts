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
    open(path: string, ...rest: unknown[]): unknown;
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

/** Where espeak-ng looks for its data, in the module's file system. */
export const ESPEAK_DATA_DIR = "/usr/local/share/espeak-ng-data/";

/** The dictionary a data file is (`/usr/local/share/espeak-ng-data/en_dict` -> `en`), or `undefined` for other files. */
export function dictionaryOf(path: string): string | undefined {
  return path.startsWith(ESPEAK_DATA_DIR) ? /^([a-z]+(?:-[a-z]+)?)_dict$/i.exec(path.slice(ESPEAK_DATA_DIR.length))?.[1] : undefined;
}

/** Options of one {@link synthesizeWith} call. */
export interface SynthesizeOptions {
  /** When given, the path of every file espeak-ng opens is added to it (which data files a voice needs). */
  opened?: Set<string>;
  /**
   * The dictionaries the module holds (`en`, ...) when it is a trimmed copy
   * (`trimmedEspeakWasm`): a voice espeak-ng cannot load then fails with a line
   * that says so, instead of espeak-ng's own words.
   */
  dictionaries?: readonly string[];
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
 * @param options files to note, dictionaries of a trimmed module (see {@link SynthesizeOptions})
 * @throws {EspeakError} when espeak-ng fails (an unknown voice, ...), with what it printed; when the voice
 *   needs a dictionary that `options.dictionaries` does not list, saying so
 */
export async function synthesizeWith(
  { factory, module }: CompiledEspeak,
  text: string,
  settings: EspeakSettings,
  options: SynthesizeOptions = {},
): Promise<Uint8Array> {
  const messages: string[] = [];
  let status = 0;
  let tracked: Set<string> | undefined;
  let failInstantiation: (error: unknown) => void = () => {};
  const instantiationFailed = new Promise<never>((_, reject) => {
    failInstantiation = reject;
  });
  const started = factory({
    // The text goes in a file (`-f`) so that a text starting with "-" is never read as an option.
    arguments: [...espeakArguments(settings), "-b", "1", "-w", "/speech.wav", "-f", "/input.txt"],
    preRun: [
      (m) => {
        m.FS.writeFile("/input.txt", text);
        const opened = options.opened ?? (options.dictionaries ? new Set<string>() : undefined);
        if (opened) {
          tracked = opened;
          const open = m.FS.open.bind(m.FS);
          m.FS.open = (path, ...rest) => {
            if (typeof path === "string") opened.add(path);
            return open(path, ...rest);
          };
        }
      },
    ],
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
  if (options.dictionaries && tracked) {
    const held = new Set(options.dictionaries);
    const missing = [...tracked].map(dictionaryOf).filter((d) => d !== undefined && !held.has(d));
    if (missing.length > 0)
      throw new EspeakError(
        `espeak-ng here holds the ${options.dictionaries.join(", ")} dictionaries only; voice "${settings.voice}" needs "${missing[0]}": set that voice in the aiconfig file and export the site again (export copies the dictionaries of its prompts' voices)`,
      );
  }
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
