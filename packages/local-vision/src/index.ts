/**
 * `@aiconfig-ts/local-vision`: offline image-to-text (OCR) for AIConfig with
 * tesseract.js and the language data of the `@tesseract.js-data/*` packages
 * (nothing is downloaded).
 *
 * ```ts
 * import { register } from "@aiconfig-ts/local-vision";
 * register(); // provider "tesseract" for the models tesseract, ocr
 * ```
 *
 * @packageDocumentation
 */
export { type BrowserOcrFiles, browserOcrFiles } from "./browser-files.js";
export { OcrError, OcrInputError, OcrLanguageDataError, OcrSettingsError } from "./errors.js";
export { LSTM_DATA_FOLDER, languageDataFile } from "./language-data.js";
export { type OcrResult, ocrWorkerCount, recognizeText, terminateOcrWorkers } from "./ocr-engine.js";
export { runOcr, tesseractProvider } from "./ocr-node-provider.js";
export {
  buildOcrRequest,
  createOcrProvider,
  IMAGE_BYTES,
  OCR_MODELS,
  type OcrRequest,
  type ReadImageFile,
  type RecognizeText,
  runOcrWith,
} from "./ocr-provider.js";
export {
  DEFAULT_LANG,
  DEFAULT_PSM,
  type OcrSettings,
  ocrSettingsSchema,
  PSM_MODES,
  readOcrSettings,
  tesseractParameters,
} from "./ocr-settings.js";
export { register } from "./register.js";
