/**
 * Runs tesseract.js 7 (Tesseract compiled to WebAssembly, in a worker thread)
 * offline: its core comes from the npm package `tesseract.js-core`, and the
 * language data from the `@tesseract.js-data/CODE` packages on disk
 * (`langPath` is a local folder, so tesseract.js reads the file instead of
 * downloading it; `cacheMethod: "none"` so it writes no copy into the working
 * folder). Images are given as bytes, so it fetches none.
 *
 * Workers are kept per language set and reused by later runs of the process;
 * jobs on one worker run one at a time (each sets its own parameters). A
 * worker thread is unreferenced while idle, so that it does not keep Node
 * running (it ends with the process); {@link terminateOcrWorkers} ends them
 * at once.
 *
 * @packageDocumentation
 */
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Worker } from "tesseract.js";
import { OcrError } from "./errors.js";
import { languageDataFile } from "./language-data.js";
import { asOcrError, errorMessage, type OcrResult, recognizeOn, startOcrWorker } from "./ocr-job.js";
import type { OcrSettings } from "./ocr-settings.js";

export type { OcrResult } from "./ocr-job.js";

/** The worker thread under a tesseract.js worker (tesseract.js keeps it as `worker`). */
type Thread = { ref(): void; unref(): void };

interface Pooled {
  readonly worker: Promise<Worker>;
  /** The last job queued: the next one starts after it. */
  tail: Promise<unknown>;
  /** Jobs queued or running. */
  busy: number;
  /** A folder made for several languages' data, removed with the worker. */
  readonly dataDir: string | undefined;
}

const pool = new Map<string, Pooled>();

/** The folder holding every language's data (`CODE.traineddata.gz`): the package's own for one language, else a folder of links. */
function dataFolder(langs: readonly string[]): { langPath: string; dataDir: string | undefined } {
  const files = langs.map(languageDataFile);
  if (files.length === 1) return { langPath: dirname(files[0]!), dataDir: undefined };
  const dataDir = mkdtempSync(join(tmpdir(), "aiconfig-ocr-data-"));
  for (const [i, code] of langs.entries()) symlinkSync(files[i]!, join(dataDir, `${code}.traineddata.gz`));
  return { langPath: dataDir, dataDir };
}

function pooled(lang: string): Pooled {
  const existing = pool.get(lang);
  if (existing) return existing;
  const { langPath, dataDir } = dataFolder([...new Set(lang.split("+"))]);
  const worker = startOcrWorker(lang, { langPath });
  const entry: Pooled = { worker, tail: Promise.resolve(), busy: 0, dataDir };
  pool.set(lang, entry);
  worker.catch(() => {
    if (pool.get(lang) === entry) dispose(lang, entry);
  });
  return entry;
}

function dispose(lang: string, entry: Pooled): Promise<void> {
  if (pool.get(lang) === entry) pool.delete(lang);
  if (entry.dataDir) rmSync(entry.dataDir, { recursive: true, force: true });
  return entry.worker.then(
    (w) => w.terminate().then(() => undefined),
    () => undefined,
  );
}

function thread(worker: Worker): Thread | undefined {
  const t = (worker as unknown as { worker?: Thread }).worker;
  return typeof t?.ref === "function" && typeof t.unref === "function" ? t : undefined;
}

/**
 * Reads the text of an image.
 * @param image the bytes of a PNG, JPEG, BMP, WebP, GIF or PBM image
 * @param settings language(s), page segmentation mode and the other settings (see {@link readOcrSettings})
 * @throws {OcrLanguageDataError} when a language's data package is missing
 * @throws {OcrError} when tesseract.js cannot start or cannot read the image
 */
export async function recognizeText(image: Uint8Array, settings: OcrSettings): Promise<OcrResult> {
  const entry = pooled(settings.lang);
  entry.busy++;
  const job = entry.tail.then(async () => {
    const worker = await entry.worker.catch((error: unknown) => {
      throw new OcrError(`tesseract.js could not start with the language data of "${settings.lang}": ${errorMessage(error)}`, {
        cause: error,
      });
    });
    thread(worker)?.ref();
    return recognizeOn(worker, Buffer.from(image.buffer, image.byteOffset, image.byteLength), settings);
  });
  entry.tail = job.catch(() => undefined);
  try {
    return await job;
  } catch (error) {
    throw asOcrError(error);
  } finally {
    entry.busy--;
    if (entry.busy === 0) {
      const worker = await entry.worker.catch(() => undefined);
      if (worker && entry.busy === 0) thread(worker)?.unref();
    }
  }
}

/** Terminates every OCR worker of the process now (the next run starts a new one). */
export async function terminateOcrWorkers(): Promise<void> {
  await Promise.all([...pool.entries()].map(([lang, entry]) => dispose(lang, entry)));
}

/** How many OCR workers are alive (started or starting). */
export function ocrWorkerCount(): number {
  return pool.size;
}
