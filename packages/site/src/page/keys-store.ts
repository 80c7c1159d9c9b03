/**
 * The visitor's keys in the static site: kept in the tab (`sessionStorage`),
 * and on this device (`localStorage`) only for a key the visitor chose to
 * remember. Never put in a URL, a download or a share; the page hands a key only
 * to the run environment of its provider (see `SitePage`).
 */

/** A key the page asks for: the environment variable a provider reads and what to call it. */
export interface SiteKey {
  /** Environment variable name, e.g. `OPENAI_API_KEY`. */
  env: string;
  /** What the page shows, e.g. `OpenAI`. */
  label: string;
}

/** The keys of the key-based providers that run in the page (their documented browser modes). */
export const SITE_KEYS: readonly SiteKey[] = [
  { env: "OPENAI_API_KEY", label: "OpenAI" },
  { env: "ANTHROPIC_API_KEY", label: "Anthropic" },
  { env: "GEMINI_API_KEY", label: "Google Gemini" },
  { env: "HF_TOKEN", label: "Hugging Face" },
];

const PREFIX = "aiconfig-site-key:";

function tryRead(storage: Storage | undefined, name: string): string | undefined {
  try {
    return storage?.getItem(PREFIX + name) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keys in the tab and, when remembered, on the device. Storage may be unavailable (private modes): then keys last as long as the page. */
export class KeysStore {
  readonly #memory = new Map<string, string>();
  constructor(
    private readonly tab: Storage | undefined = globalThis.sessionStorage,
    private readonly device: Storage | undefined = globalThis.localStorage,
  ) {}

  /** The key of `env` (the tab's, else the remembered one), or undefined. */
  get(env: string): string | undefined {
    return this.#memory.get(env) ?? tryRead(this.tab, env) ?? tryRead(this.device, env);
  }

  /** Whether the key of `env` is remembered on this device. */
  remembered(env: string): boolean {
    return tryRead(this.device, env) !== undefined;
  }

  /**
   * Keeps a key for this tab; with `remember`, also on this device (else any
   * remembered copy is dropped).
   */
  set(env: string, value: string, remember: boolean): void {
    this.#memory.set(env, value);
    try {
      this.tab?.setItem(PREFIX + env, value);
    } catch {
      // storage unavailable: the key lasts as long as the page
    }
    try {
      if (remember) this.device?.setItem(PREFIX + env, value);
      else this.device?.removeItem(PREFIX + env);
    } catch {
      // storage unavailable
    }
  }

  /** Forgets the key of `env` in the tab and on the device. */
  forget(env: string): void {
    this.#memory.delete(env);
    try {
      this.tab?.removeItem(PREFIX + env);
      this.device?.removeItem(PREFIX + env);
    } catch {
      // storage unavailable
    }
  }

  /** Every key set, by variable name (for the runs' environment and for redaction). */
  all(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of SITE_KEYS) {
      const v = this.get(k.env);
      if (v) out[k.env] = v;
    }
    return out;
  }
}
