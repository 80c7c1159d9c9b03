/**
 * Checks of setting values shared by the providers of this package.
 *
 * @packageDocumentation
 */
import { SpeechSettingsError } from "./errors.js";

/**
 * An integer setting within a range, or its default when absent.
 * @throws {SpeechSettingsError} naming the prompt, the setting and the range
 */
export function integerSetting(
  settings: Readonly<Record<string, unknown>>,
  key: string,
  range: { minimum: number; maximum?: number; default: number },
  prompt: string,
): number {
  const value = settings[key];
  if (value === undefined || value === null) return range.default;
  const max = range.maximum;
  if (typeof value !== "number" || !Number.isInteger(value) || value < range.minimum || (max !== undefined && value > max)) {
    const allowed = max === undefined ? `an integer >= ${range.minimum}` : `an integer from ${range.minimum} to ${max}`;
    throw new SpeechSettingsError(`prompt "${prompt}": setting "${key}" is ${JSON.stringify(value)}; it must be ${allowed}`);
  }
  return value;
}

/**
 * A non-empty string setting, or `undefined` when absent.
 * @throws {SpeechSettingsError} when it is not a non-empty string
 */
export function stringSetting(settings: Readonly<Record<string, unknown>>, key: string, prompt: string): string | undefined {
  const value = settings[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new SpeechSettingsError(`prompt "${prompt}": setting "${key}" is ${JSON.stringify(value)}; it must be a non-empty string`);
  }
  return value;
}

/**
 * A boolean setting, or its default when absent.
 * @throws {SpeechSettingsError} when it is not a boolean
 */
export function booleanSetting(settings: Readonly<Record<string, unknown>>, key: string, fallback: boolean, prompt: string): boolean {
  const value = settings[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "boolean") {
    throw new SpeechSettingsError(`prompt "${prompt}": setting "${key}" is ${JSON.stringify(value)}; it must be true or false`);
  }
  return value;
}
