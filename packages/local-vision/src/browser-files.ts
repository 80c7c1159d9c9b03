/**
 * Where the files of the browser's OCR provider (`@aiconfig-ts/local-vision/browser`)
 * are on disk, for a static site to copy (Node only).
 *
 * @packageDocumentation
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The files tesseract.js needs in a page, besides the language data (`languageDataFile`). Absolute paths. */
export interface BrowserOcrFiles {
  /** tesseract.js's worker script, `tesseract.js/dist/worker.min.js`. */
  worker: string;
  /** The core's loader, `tesseract.js-core/tesseract-core-simd-lstm.js` (LSTM only, WebAssembly SIMD). */
  core: string;
  /** The core's WebAssembly, `tesseract-core-simd-lstm.wasm`, which the loader fetches from beside itself. */
  coreWasm: string;
}

/**
 * The tesseract.js files a page needs, from the installed npm packages
 * `tesseract.js` and `tesseract.js-core` (the SIMD, LSTM-only build: every
 * browser with WebAssembly SIMD, which the page's other providers need too).
 */
export function browserOcrFiles(): BrowserOcrFiles {
  const require = createRequire(import.meta.url);
  const tesseract = dirname(require.resolve("tesseract.js/package.json"));
  const core = dirname(createRequire(join(tesseract, "package.json")).resolve("tesseract.js-core/package.json"));
  return {
    worker: join(tesseract, "dist", "worker.min.js"),
    core: join(core, "tesseract-core-simd-lstm.js"),
    coreWasm: join(core, "tesseract-core-simd-lstm.wasm"),
  };
}
