/**
 * The OCR provider: reads the text of the prompt's first image attachment
 * with tesseract.js, offline.
 *
 * @packageDocumentation
 */
import { type Output, type Provider, type ResolvedAttachment, requireAttachment, type RunContext } from "@aiconfig-ts/core";
import { OcrInputError } from "./errors.js";
import type { OcrResult } from "./ocr-job.js";
import { type OcrSettings, ocrSettingsSchema, readOcrSettings } from "./ocr-settings.js";

/** Model names the OCR provider serves. */
export const OCR_MODELS = ["tesseract", "tesseract.js", "ocr"] as const;

/** Key under which a request keeps its attachment's byte reader (not serialised). */
export const IMAGE_BYTES: unique symbol = Symbol("aiconfig-ts.local-vision.image-bytes");

/** An OCR request: the image (where it is, its type) and the checked settings. */
export interface OcrRequest extends OcrSettings {
  /** The image: its MIME type and, when it is a file or URL, where. */
  image: { mime_type: string; uri?: string };
  [IMAGE_BYTES]?: () => Promise<Uint8Array>;
}

/**
 * Builds the request from the prompt's first image attachment (one handed
 * on by a reference to an image output counts).
 * @throws {OcrInputError} when the prompt has no image attachment
 * @throws {OcrSettingsError} for a wrong setting
 */
export function buildOcrRequest(
  settings: Readonly<Record<string, unknown>>,
  attachments: readonly ResolvedAttachment[],
  prompt: string,
): OcrRequest {
  const image = requireAttachment(
    attachments,
    ["image/*"],
    prompt,
    "OCR",
    '{"data": {"kind": "file_uri", "value": "sign.png"}, "mime_type": "image/png"}',
    { invalid: (message) => new OcrInputError(message) },
  );
  const request: OcrRequest = {
    image: { mime_type: image.mimeType, ...(image.uri && !image.uri.startsWith("data:") ? { uri: image.uri } : {}) },
    ...readOcrSettings(settings, prompt),
  };
  Object.defineProperty(request, IMAGE_BYTES, { value: () => image.bytes(), enumerable: false });
  return request;
}

/** Reads the text of an image: tesseract.js in Node (`ocr-engine.ts`) or in a browser (`ocr-engine.browser.ts`). */
export type RecognizeText = (image: Uint8Array, settings: OcrSettings) => Promise<OcrResult>;

/** Reads a local image file (Node only); absent in a browser, where a request always carries its bytes. */
export type ReadImageFile = (path: string) => Promise<Uint8Array>;

async function imageBytes(request: OcrRequest, readImageFile: ReadImageFile | undefined): Promise<Uint8Array> {
  const reader = request[IMAGE_BYTES];
  if (reader) return reader();
  const uri = request.image.uri;
  if (!uri || /^[a-z]+:/i.test(uri) || !readImageFile)
    throw new OcrInputError("an OCR request without a local image file: build it with the provider's resolve");
  return readImageFile(uri);
}

/**
 * Reads the image of a request with `recognize`.
 *
 * Output: `{output_type: "execute_result", execution_count: 0, data: TEXT,
 * metadata: {confidence (0–100), lang, psm}}`.
 * @throws {OcrLanguageDataError} | {OcrError}; the signal's reason when the run is cancelled before it starts
 */
export async function runOcrWith(
  recognize: RecognizeText,
  readImageFile: ReadImageFile | undefined,
  request: OcrRequest,
  ctx: RunContext,
): Promise<Output[]> {
  ctx.signal.throwIfAborted();
  const bytes = await imageBytes(request, readImageFile);
  const { image: _image, ...settings } = request;
  const read = await recognize(bytes, settings);
  ctx.signal.throwIfAborted();
  return [
    {
      output_type: "execute_result",
      execution_count: 0,
      data: read.text,
      metadata: { confidence: read.confidence, lang: request.lang, psm: request.psm },
    },
  ];
}

/**
 * Image-to-text (OCR) with tesseract.js 7 (Tesseract 5 LSTM models, WebAssembly
 * in a worker; offline) reading through `recognize`: id `tesseract`, aliases
 * `ocr`, `local-ocr`, `tesseract.js`; serves the models `tesseract`,
 * `tesseract.js` and `ocr`. Settings: {@link ocrSettingsSchema}. Output: see {@link runOcrWith}.
 * @param readImageFile how a request built without the provider's `resolve` reads a local file (Node only)
 */
export function createOcrProvider(recognize: RecognizeText, description: string, readImageFile?: ReadImageFile): Provider<OcrRequest> {
  return {
    id: "tesseract",
    aliases: ["ocr", "local-ocr", "tesseract.js"],
    description,
    capabilities: { tasks: ["image-to-text"], inputMedia: ["image/*"], streams: false, chat: false, offline: true, models: OCR_MODELS },
    settingsSchema: ocrSettingsSchema,
    servesModel: (model) => (OCR_MODELS as readonly string[]).includes(model),
    resolve: (ctx) => buildOcrRequest(ctx.settings, ctx.input.attachments, ctx.prompt.name),
    run: (request, ctx) => runOcrWith(recognize, readImageFile, request, ctx),
  };
}
