/**
 * Runs tesseract.js 7 in a browser page, offline: its worker script, core
 * (WebAssembly) and language data are fetched from the site's own origin
 * (`workerPath`, `corePath`, `langPath`), never from tesseract.js's default
 * CDN. The worker is started from its URL (`workerBlobURL: false`), so the
 * page's Content-Security-Policy needs no `blob:` for it.
 *
 * Workers are kept per language set and reused by later runs of the page;
 * jobs on one worker run one at a time (each sets its own parameters).
 *
 * Source: tesseract.js 7 docs/api.md (`createWorker(langs, oem, options)`,
 * `setParameters`, `recognize`) and docs/local-installation.md.
 *
 * @packageDocumentation
 */
import type { Worker } from "tesseract.js";
import { OcrError } from "./errors.js";
import { asOcrError, errorMessage, type OcrResult, recognizeOn, startOcrWorker } from "./ocr-job.js";
import type { OcrSettings } from "./ocr-settings.js";

/** Where the page's tesseract.js finds its files (absolute URLs on the site's origin). */
export interface BrowserOcrAssets {
  /** tesseract.js's `dist/worker.min.js`. */
  workerUrl: string;
  /** tesseract.js-core's `tesseract-core-simd-lstm.js` (it loads the `.wasm` beside it). */
  coreUrl: string;
  /** Folder holding `CODE.traineddata.gz` of each language (ends with `/`). */
  langUrl: string;
}

interface Pooled {
  readonly worker: Promise<Worker>;
  tail: Promise<unknown>;
}

/**
 * A `recognize` for the page: reads the text of an image with the site's tesseract.js.
 * @returns `(image bytes, settings) => {text, confidence}`; it throws
 *   {@link OcrError} when tesseract.js cannot start (a language the site did not
 *   ship, a missing file) or cannot read the image
 */
export function browserRecognizeText(assets: BrowserOcrAssets): (image: Uint8Array, settings: OcrSettings) => Promise<OcrResult> {
  const pool = new Map<string, Pooled>();
  const pooled = (lang: string): Pooled => {
    const existing = pool.get(lang);
    if (existing) return existing;
    const worker = startOcrWorker(lang, {
      workerPath: assets.workerUrl,
      corePath: assets.coreUrl,
      langPath: assets.langUrl.replace(/\/$/, ""),
      workerBlobURL: false,
    });
    const entry: Pooled = { worker, tail: Promise.resolve() };
    pool.set(lang, entry);
    worker.catch(() => {
      if (pool.get(lang) === entry) pool.delete(lang);
    });
    return entry;
  };
  return async (image, settings) => {
    const entry = pooled(settings.lang);
    const job = entry.tail.then(async () => {
      const worker = await entry.worker.catch((error: unknown) => {
        throw new OcrError(
          `tesseract.js could not start with the language data of "${settings.lang}" from ${assets.langUrl}: ${errorMessage(error)} (export the site again from a machine with @tesseract.js-data/${settings.lang.split("+")[0]} installed)`,
          { cause: error },
        );
      });
      return recognizeOn(worker, new Blob([image as Uint8Array<ArrayBuffer>]), settings);
    });
    entry.tail = job.catch(() => undefined);
    try {
      return await job;
    } catch (error) {
      throw asOcrError(error);
    }
  };
}
