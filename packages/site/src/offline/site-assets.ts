/**
 * What `aiconfig export --site` copied for the offline providers; written to
 * `DIR/site.json` and read by the page (a JSON file: no code).
 */
export interface SiteAssets {
  /** model name (as in the aiconfig, e.g. "stories260K") -> GGUF path relative to the site root, e.g. "models/stories260K.gguf" */
  models: Record<string, string>;
  /** every file copied for the offline providers (wasm, workers, language data, models), relative to the site root */
  files: string[];
  /** When the notebook speaks: the espeak-ng dictionaries its trimmed WebAssembly holds (`en`, ...). */
  espeak?: { dictionaries: string[] };
}
