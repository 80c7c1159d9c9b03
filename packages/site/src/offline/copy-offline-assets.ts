/**
 * Copies into a site folder what the page's offline providers need for one
 * aiconfig file (Node, called by `aiconfig export --site`): the GGUF models
 * its prompts run on (found as the Node llama provider finds them), wllama's
 * WebAssembly when there is one, espeak-ng's WebAssembly when a prompt speaks
 * (trimmed to the dictionaries of the prompts' voices and of the default voice,
 * `en-us`), tesseract.js's worker, core and language data when a prompt reads
 * an image. The WebAssembly files are written gzipped (`*.wasm.gz`), which the
 * page decompresses (`site-wasm.ts`): wllama's 10.2 MB is 2.9 MB on disk,
 * espeak-ng's 18.5 MB is 0.65 MB for English.
 * Which provider a prompt uses is asked of a registry holding the Node
 * providers, with the file's `model_parsers`, as a run would.
 *
 * The aiconfig file is untrusted: a model file is copied only when it is a
 * GGUF file (its first bytes are `GGUF`), so a `model_path` naming another
 * file cannot publish it.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdir, open, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, createGzip } from "node:zlib";
import { type AIConfig, AIConfigError, type ModelSettings, ProviderRegistry, promptModelName, promptSettings } from "@aiconfig-ts/core";
import { OFFLINE_FILES } from "./offline-files.js";
import { type NoticeSource, offlineNotices, packageDirOf } from "./offline-notices.js";
import type { SiteAssets } from "./site-assets.js";

/** A model the site should hold cannot be copied (not a GGUF file, or two files of one name). */
export class OfflineAssetError extends AIConfigError {
  override name = "OfflineAssetError";
}

/** The first four bytes of every GGUF file. */
const GGUF_MAGIC = "GGUF";

async function isGguf(path: string): Promise<boolean> {
  const file = await open(path, "r");
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await file.read(head, 0, 4, 0);
    return bytesRead === 4 && head.toString("latin1") === GGUF_MAGIC;
  } finally {
    await file.close();
  }
}

function stringSetting(settings: ModelSettings, name: string): string | undefined {
  const value = settings[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Writes a stream gzipped (level 9: written once, downloaded by every visitor) to `path`. */
async function gzipTo(source: Readable, path: string): Promise<void> {
  await pipeline(source, createGzip({ level: constants.Z_BEST_COMPRESSION }), createWriteStream(path));
}

/**
 * Copies into `siteDir` the models (GGUF) the aiconfig's prompts use and the offline providers' wasm/workers/language data.
 * @param config the aiconfig (checked by the caller)
 * @param configPath its file: relative model paths are looked up beside it, as the Node llama provider does
 * @param siteDir the site folder (the caller's staging folder)
 * @returns what was copied, paths relative to `siteDir` (see {@link OFFLINE_FILES}), and the espeak-ng dictionaries shipped
 * @throws {SpeechSettingsError} for a speech prompt's bad settings; {OfflineAssetError} when espeak-ng knows no such voice
 * @throws {ModelNotFoundError} when a prompt's GGUF file is nowhere (the default model is downloaded instead, as a run would)
 * @throws {OfflineAssetError} when a model path names a file that is not GGUF, or two models' files share a name
 * @throws {OcrLanguageDataError} when an OCR language's data package is not installed; {OcrSettingsError} for a bad `lang`
 */
export async function copyOfflineAssets(config: AIConfig, configPath: string, siteDir: string): Promise<SiteAssets> {
  const [llama, speech, vision, wllama] = await Promise.all([
    import("@aiconfig-ts/llama"),
    import("@aiconfig-ts/local-speech"),
    import("@aiconfig-ts/local-vision"),
    import("@aiconfig-ts/wllama/wasm-file"),
  ]);
  const registry = new ProviderRegistry();
  llama.register(registry);
  speech.register(registry);
  vision.register(registry);
  const configDir = dirname(configPath);
  const copies = new Map<string, string>(); // site-relative target -> source (gzipped when the target ends with .gz and the source does not)
  const models: Record<string, string> = {};
  const voices = new Set<string>();
  const add = (target: string, source: string, what: string) => {
    const earlier = copies.get(target);
    if (earlier !== undefined && earlier !== source)
      throw new OfflineAssetError(`${configPath}: ${what} and ${earlier} would both be the site's ${target}: rename one of the files`);
    copies.set(target, source);
  };
  for (const prompt of config.prompts) {
    const model = promptModelName(config, prompt);
    if (!model) continue;
    const provider = registry.find(model, config.metadata?.model_parsers);
    const settings = promptSettings(config, prompt, model);
    if (provider?.id === llama.llamaProvider.id) {
      const located = llama.resolveModelPath({ model, modelPath: stringSetting(settings, "model_path"), configDir, env: process.env });
      const path = located.exists ? located.path : await llama.ensureDefaultModel({ dir: dirname(located.path), env: process.env });
      if (!(await isGguf(path)))
        throw new OfflineAssetError(
          `${configPath}: prompt "${prompt.name}": ${path} (model "${model}") is not a GGUF file, so it is not put in the site: fix the model_path setting`,
        );
      const target = `${OFFLINE_FILES.modelsDir}${basename(path)}`;
      add(target, path, path);
      models[model] ??= target;
      add(OFFLINE_FILES.wllamaWasm, wllama.wllamaWasmPath(), "wllama.wasm");
    } else if (provider?.id === speech.espeakProvider.id) {
      voices.add(speech.readEspeakSettings(settings, prompt.name).voice);
      add(OFFLINE_FILES.espeakScript, speech.espeakScriptPath(), "espeak-ng.js");
    } else if (provider?.id === vision.tesseractProvider.id) {
      const files = vision.browserOcrFiles();
      add(OFFLINE_FILES.tesseractWorker, files.worker, "tesseract.js's worker");
      add(OFFLINE_FILES.tesseractCore, files.core, "tesseract.js-core");
      add(OFFLINE_FILES.tesseractCoreWasm, files.coreWasm, "tesseract.js-core's wasm");
      const { lang } = vision.readOcrSettings(settings, prompt.name); // checked: codes of letters, digits and _ only
      for (const code of lang.split("+")) {
        add(`${OFFLINE_FILES.tesseractLangDir}${code}.traineddata.gz`, vision.languageDataFile(code), `OCR language ${code}`);
      }
    }
  }
  // An unknown voice is refused before anything is written.
  const dictionaries =
    voices.size === 0
      ? undefined
      : await speech.dictionariesForVoices([speech.DEFAULT_VOICE, ...voices]).catch((error: unknown) => {
          throw new OfflineAssetError(
            `${configPath}: a prompt's voice (${[...voices].join(", ")}) is not one espeak-ng knows: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
  for (const [target, source] of copies) {
    await mkdir(dirname(join(siteDir, target)), { recursive: true });
    if (target.endsWith(".gz") && !source.endsWith(".gz")) await gzipTo(createReadStream(source), join(siteDir, target));
    else await copyFile(source, join(siteDir, target));
  }
  const files = [...copies.keys()];
  const notices = new Map<string, NoticeSource>(); // package folder -> its files in the site
  const noteSource = (target: string, source: string, changed?: string) => {
    const dir = packageDirOf(source);
    const entry = notices.get(dir) ?? { dir, files: [] };
    entry.files.push(target);
    if (changed) entry.changed = changed;
    notices.set(dir, entry);
  };
  for (const [target, source] of copies) {
    if (target.startsWith(OFFLINE_FILES.modelsDir)) continue;
    noteSource(target, source, target.endsWith(".gz") && !source.endsWith(".gz") ? "gzipped (the page decompresses it)" : undefined);
  }
  let espeak: SiteAssets["espeak"];
  if (dictionaries) {
    const trimmed = await speech.trimmedEspeakWasm(dictionaries);
    await mkdir(dirname(join(siteDir, OFFLINE_FILES.espeakWasm)), { recursive: true });
    await gzipTo(Readable.from([trimmed.wasm]), join(siteDir, OFFLINE_FILES.espeakWasm));
    files.push(OFFLINE_FILES.espeakWasm);
    espeak = { dictionaries: trimmed.dictionaries };
    noteSource(
      OFFLINE_FILES.espeakWasm,
      speech.espeakWasmPath(),
      `\`dist/espeak-ng.wasm\` with the dictionaries other than ${trimmed.dictionaries.join(", ")} removed from its embedded data (\`trimmedEspeakWasm\` of @aiconfig-ts/local-speech), then gzipped; a modified version, under the same licence`,
    );
  }
  if (notices.size > 0) {
    await writeFile(join(siteDir, OFFLINE_FILES.notices), offlineNotices([...notices.values()]));
    files.push(OFFLINE_FILES.notices);
  }
  return { models, files: files.sort(), ...(espeak ? { espeak } : {}) };
}
