/**
 * Errors of the OCR provider. Each message is one line that names the prompt
 * or setting and the fix.
 *
 * @packageDocumentation
 */
import { AIConfigError, InvalidInputError, InvalidSettingError } from "@aiconfig-ts/core";

/** A setting has a wrong type or is out of range. */
export class OcrSettingsError extends InvalidSettingError {
  override name = "OcrSettingsError";
}

/** The prompt has no image to read. */
export class OcrInputError extends InvalidInputError {
  override name = "OcrInputError";
}

/** The data of a language is not installed (it is never downloaded). */
export class OcrLanguageDataError extends AIConfigError {
  override name = "OcrLanguageDataError";
}

/** tesseract.js failed (e.g. the bytes are not an image it reads). */
export class OcrError extends AIConfigError {
  override name = "OcrError";
}
