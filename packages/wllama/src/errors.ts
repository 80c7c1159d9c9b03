/**
 * Errors of the wllama provider. Each message is one line naming the model and the fix.
 *
 * @packageDocumentation
 */
import { AIConfigError } from "@aiconfig-ts/core";

/** The page could not load wllama's WebAssembly or the model (a missing file on the site, a browser without WebAssembly memory64). */
export class WllamaLoadError extends AIConfigError {
  override name = "WllamaLoadError";
}
