/**
 * Lazy loading of the official Hugging Face SDK (`@huggingface/inference`),
 * so that importing this package stays cheap.
 *
 * @packageDocumentation
 */

/** The `@huggingface/inference` module. */
export type InferenceModule = typeof import("@huggingface/inference");

let loading: Promise<InferenceModule> | undefined;

/**
 * Loads `@huggingface/inference` once, on first use.
 *
 * On load it sets the SDK's logger to one that drops `log`, `info` and
 * `debug` messages (the SDK prints e.g. "Auto selected provider: ..." with
 * `console.log`, which would mix with outputs a CLI prints on stdout) and
 * keeps `warn` and `error` on the console, except the notice that
 * `request`/`streamingRequest` are deprecated: Text Generation's
 * `"api": "text-generation"` uses them, as the only SDK calls that speak
 * text-generation-inference's generate API.
 */
export function loadInference(): Promise<InferenceModule> {
  loading ??= import("@huggingface/inference").then((sdk) => {
    const quiet = () => {};
    const warn = (message: string, ...rest: unknown[]) => {
      if (!/^The (request|streamingRequest) method is deprecated/.test(String(message))) console.warn(message, ...rest);
    };
    sdk.setLogger({ debug: quiet, info: quiet, log: quiet, warn, error: console.error });
    return sdk;
  });
  return loading;
}
