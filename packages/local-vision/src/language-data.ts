/**
 * Where the trained data of each OCR language is: in its npm package
 * `@tesseract.js-data/CODE` (the same files tesseract.js would otherwise
 * download from a CDN), read from disk, never fetched.
 *
 * @packageDocumentation
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { OcrLanguageDataError } from "./errors.js";

/**
 * The folder of a data package that holds the LSTM-only models
 * (`4.0.0_best_int`, integer-quantized "best" models, what tesseract.js
 * downloads for its default LSTM engine).
 */
export const LSTM_DATA_FOLDER = "4.0.0_best_int";

/**
 * The path of a language's gzipped trained data, `CODE.traineddata.gz`.
 * @param code a Tesseract language code, e.g. `eng`
 * @throws {OcrLanguageDataError} when its npm package is not installed
 */
export function languageDataFile(code: string): string {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve(`@tesseract.js-data/${code}/package.json`);
  } catch {
    throw new OcrLanguageDataError(
      `OCR language "${code}" has no data here: install it with \`npm install @tesseract.js-data/${code}\` (language data is read from that package, never downloaded)`,
    );
  }
  const file = join(dirname(packageJson), LSTM_DATA_FOLDER, `${code}.traineddata.gz`);
  if (!existsSync(file)) {
    throw new OcrLanguageDataError(`OCR language "${code}": ${file} is missing; reinstall @tesseract.js-data/${code}`);
  }
  return file;
}
