/**
 * Where a static site keeps the offline providers' files, relative to the
 * site root: written by `copyOfflineAssets` (Node), read by
 * `registerOfflineProviders` (the page). Data only: no `node:` import.
 */

/** Site-relative paths of the offline providers' files. */
export const OFFLINE_FILES = {
  /** wllama's WebAssembly (`@wllama/wllama/esm/wasm/wllama.wasm`). */
  wllamaWasm: "offline/wllama/wllama.wasm",
  /** espeak-ng's WebAssembly with its voices (`espeak-ng/dist/espeak-ng.wasm`). */
  espeakWasm: "offline/espeak-ng/espeak-ng.wasm",
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
  /** Folder of the GGUF models. */
  modelsDir: "models/",
} as const;
