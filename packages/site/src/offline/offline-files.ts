/**
 * Where a static site keeps the offline providers' files, relative to the
 * site root: written by `copyOfflineAssets` (Node), read by
 * `registerOfflineProviders` (the page). Data only: no `node:` import.
 */

/** Site-relative paths of the offline providers' files. */
export const OFFLINE_FILES = {
  /** wllama's WebAssembly (`@wllama/wllama/esm/wasm/wllama.wasm`, one build for one or more threads), gzipped: the page decompresses it. */
  wllamaWasm: "offline/wllama/wllama.wasm.gz",
  /**
   * espeak-ng's WebAssembly (`espeak-ng/dist/espeak-ng.wasm`) trimmed to the dictionaries of the
   * notebook's voices (`trimmedEspeakWasm`; which ones: `site.json`'s `espeak.dictionaries`), gzipped.
   */
  espeakWasm: "offline/espeak-ng/espeak-ng.wasm.gz",
  /** espeak-ng's module factory (`espeak-ng/dist/espeak-ng.js`), imported by the page at run time. */
  espeakScript: "offline/espeak-ng/espeak-ng.js",
  /** tesseract.js's worker script. */
  tesseractWorker: "offline/tesseract/worker.min.js",
  /** tesseract.js-core's loader (SIMD, LSTM only); it fetches the `.wasm` beside it. */
  tesseractCore: "offline/tesseract/tesseract-core-simd-lstm.js",
  /** tesseract.js-core's WebAssembly. */
  tesseractCoreWasm: "offline/tesseract/tesseract-core-simd-lstm.wasm",
  /** Folder of the OCR languages' data, `CODE.traineddata.gz`. */
  tesseractLangDir: "offline/tesseract/lang/",
  /** Name, version, licence, source and licence text of each package the files above come from. */
  notices: "offline/THIRD-PARTY-NOTICES.md",
  /** Folder of the GGUF models. */
  modelsDir: "models/",
} as const;
