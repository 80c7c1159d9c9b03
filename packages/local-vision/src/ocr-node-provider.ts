/**
 * The OCR provider of Node: tesseract.js in a worker thread, language data
 * read from the `@tesseract.js-data/*` packages.
 *
 * @packageDocumentation
 */
import type { Output, Provider, RunContext } from "@aiconfig-ts/core";
import { recognizeText } from "./ocr-engine.js";
import { createOcrProvider, type OcrRequest, runOcrWith } from "./ocr-provider.js";

async function readImageFile(path: string): Promise<Uint8Array> {
  const { readFile } = await import("node:fs/promises");
  return new Uint8Array(await readFile(path));
}

/**
 * Reads the image of a request.
 *
 * Output: `{output_type: "execute_result", execution_count: 0, data: TEXT,
 * metadata: {confidence (0–100), lang, psm}}`.
 * @throws {OcrLanguageDataError} | {OcrError}; the signal's reason when the run is cancelled before it starts
 */
export function runOcr(request: OcrRequest, ctx: RunContext): Promise<Output[]> {
  return runOcrWith(recognizeText, readImageFile, request, ctx);
}

/**
 * Image-to-text (OCR) with tesseract.js 7 (Tesseract 5 LSTM models, WebAssembly
 * in a worker thread; offline): id `tesseract`, aliases `ocr`, `local-ocr`,
 * `tesseract.js`; serves the models `tesseract`, `tesseract.js` and `ocr`.
 * Settings: `ocrSettingsSchema`.
 */
export const tesseractProvider: Provider<OcrRequest> = createOcrProvider(
  recognizeText,
  "Offline OCR with tesseract.js: the text of the prompt's image",
  readImageFile,
);
