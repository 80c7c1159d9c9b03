/**
 * One OCR job on a tesseract.js worker, the same in Node and in a browser:
 * the settings become Tesseract's parameters, then the image is read.
 *
 * @packageDocumentation
 */
import type { ImageLike, Worker, WorkerOptions } from "tesseract.js";
import { OcrError } from "./errors.js";
import { type OcrSettings, tesseractParameters } from "./ocr-settings.js";

/** What the OCR read. */
export interface OcrResult {
  /** The text, lines separated by `\n`, without white space at either end. */
  text: string;
  /** Tesseract's mean word confidence, 0–100. */
  confidence: number;
}

/** The first line of an error's message. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Sets the job's parameters on the worker and reads the image (the worker must run one job at a time). */
export async function recognizeOn(worker: Worker, image: ImageLike, settings: OcrSettings): Promise<OcrResult> {
  await worker.setParameters(tesseractParameters(settings) as never);
  const { data } = await worker.recognize(image, { rotateAuto: settings.rotate_auto });
  return { text: data.text.trim(), confidence: data.confidence };
}

/** A failed job's error as an {@link OcrError} (one that is already one is kept). */
export function asOcrError(error: unknown): OcrError {
  return error instanceof OcrError ? error : new OcrError(`tesseract.js cannot read the image: ${errorMessage(error)}`, { cause: error });
}

/**
 * Starts a tesseract.js worker for LSTM-only recognition of `lang` (codes
 * joined by `+`), the language data gzipped, with no cache of its own.
 * @param options where its files are (`langPath`; in a browser also `workerPath`, `corePath`, ...)
 * @returns the worker, or a rejection when its language data cannot be loaded
 */
export async function startOcrWorker(lang: string, options: Partial<WorkerOptions>): Promise<Worker> {
  const { createWorker, OEM } = await import("tesseract.js");
  // Without an errorHandler, tesseract.js throws a failed job's error out of its message handler (an uncaught
  // exception); a job's own promise rejects with it either way. When loading the language data fails, the promise
  // of createWorker never settles: the handler's first call stands for that failure.
  let startFailed: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    startFailed = reject;
  });
  const created = createWorker(lang, OEM.LSTM_ONLY, {
    ...options,
    cacheMethod: "none",
    gzip: true,
    errorHandler: (e: unknown) => startFailed(e),
  });
  return Promise.race([created, failed]);
}
