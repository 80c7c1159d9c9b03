/**
 * Settings of the OCR provider: their JSON Schema and how they are checked.
 *
 * Source: Tesseract's page segmentation modes and parameters
 * (https://tesseract-ocr.github.io/tessdoc/ImproveQuality.html, `tesseract --help-psm`)
 * as tesseract.js 7 takes them (`worker.setParameters`, `recognize(image, {rotateAuto})`,
 * https://github.com/naptha/tesseract.js/blob/master/docs/api.md).
 *
 * @packageDocumentation
 */
import { type JSONSchema, type ModelSettings, readSettings } from "@aiconfig-ts/core";
import { OcrSettingsError } from "./errors.js";

/** Language read when the settings name none. */
export const DEFAULT_LANG = "eng";

/** Page segmentation mode used when the settings name none: 3, fully automatic (the `tesseract` command's default). */
export const DEFAULT_PSM = 3;

/**
 * The page segmentation modes allowed: those that read text without the
 * orientation model (`osd.traineddata`, which is not installed): 0, 1 and 12
 * need it, 2 reads no text.
 */
export const PSM_MODES: Readonly<Record<number, string>> = {
  3: "fully automatic page segmentation",
  4: "a single column of text of variable sizes",
  5: "a single uniform block of vertically aligned text",
  6: "a single uniform block of text",
  7: "a single text line",
  8: "a single word",
  9: "a single word in a circle",
  10: "a single character",
  11: "sparse text: as much text as possible, in no particular order",
  13: "a raw line, bypassing Tesseract's heuristics",
};

const LANG_RE = /^[a-z][a-z_]*(\+[a-z][a-z_]*)*$/;

/** JSON Schema (draft-07) of the settings the OCR provider reads. */
export const ocrSettingsSchema: JSONSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "tesseract.js OCR settings",
  type: "object",
  properties: {
    lang: {
      type: "string",
      default: DEFAULT_LANG,
      pattern: LANG_RE.source,
      examples: ["eng", "eng+fra", "deu", "chi_sim"],
      description:
        "Language(s) of the text, Tesseract codes joined by '+'. Each needs its npm data package @tesseract.js-data/CODE installed (eng is); nothing is downloaded.",
    },
    psm: {
      type: "integer",
      enum: Object.keys(PSM_MODES).map(Number),
      default: DEFAULT_PSM,
      description: `Page segmentation mode: ${Object.entries(PSM_MODES)
        .map(([k, v]) => `${k} ${v}`)
        .join("; ")}.`,
    },
    char_whitelist: {
      type: "string",
      minLength: 1,
      examples: ["0123456789"],
      description: "Only recognize these characters (Tesseract's tessedit_char_whitelist); all when absent.",
    },
    preserve_interword_spaces: {
      type: "boolean",
      default: false,
      description: "Keep runs of spaces between words as they are instead of one space.",
    },
    dpi: {
      type: "integer",
      minimum: 70,
      maximum: 2400,
      description: "Resolution of the image in dots per inch, when the file does not say (else Tesseract estimates it).",
    },
    rotate_auto: {
      type: "boolean",
      default: false,
      description: "Straighten a rotated or skewed image before reading it.",
    },
  },
};

/** The settings of one OCR request, checked and with defaults filled in. */
export interface OcrSettings {
  /** Tesseract language codes joined by `+`, e.g. `eng` or `eng+fra` (each once). */
  lang: string;
  /** Page segmentation mode, a key of {@link PSM_MODES}. */
  psm: number;
  /** Characters to recognize only; `undefined` for all. */
  char_whitelist?: string;
  preserve_interword_spaces: boolean;
  /** Image resolution in dots per inch; `undefined` to let Tesseract read or estimate it. */
  dpi?: number;
  rotate_auto: boolean;
}

/**
 * Reads and checks the settings of a prompt by {@link ocrSettingsSchema}
 * (core's `readSettings`), with its defaults; repeated language codes are kept once.
 * @param settings the prompt's settings (root `models[model]` merged with its own)
 * @param prompt the prompt's name, for messages
 * @throws {OcrSettingsError} for a wrong type or an out-of-range value
 */
export function readOcrSettings(settings: Readonly<Record<string, unknown>>, prompt: string): OcrSettings {
  const read = readSettings<OcrSettings>(ocrSettingsSchema, settings as ModelSettings, `prompt "${prompt}"`, {
    expected: {
      lang: 'Tesseract language codes joined by "+", e.g. "eng" or "eng+fra"',
      char_whitelist: "a non-empty string of characters",
    },
    invalid: (message) => new OcrSettingsError(message),
  });
  return { ...read, lang: [...new Set(read.lang.split("+"))].join("+") };
}

/**
 * The Tesseract parameters of some settings, as tesseract.js's
 * `worker.setParameters` takes them (all values are strings): page
 * segmentation mode, character whitelist (empty = all), inter-word spaces,
 * DPI (`"0"` = read from the image).
 */
export function tesseractParameters(settings: OcrSettings): Record<string, string> {
  return {
    tessedit_pageseg_mode: String(settings.psm),
    tessedit_char_whitelist: settings.char_whitelist ?? "",
    preserve_interword_spaces: settings.preserve_interword_spaces ? "1" : "0",
    user_defined_dpi: settings.dpi === undefined ? "0" : String(settings.dpi),
  };
}
