/**
 * Test support (browser code): a page, bundled by esbuild with the `browser`
 * condition and put in an exported site's folder, that does what the site's
 * notebook does to run a prompt offline: reads `site.json` and the notebook
 * from the site, registers the offline providers with
 * {@link registerOfflineProviders}, and runs a prompt with its dependencies
 * on core's browser runtime; a speech output can be played in an `<audio>`.
 */
import { AIConfigRuntime, type Output, ProviderRegistry } from "@aiconfig-ts/core";
import type { SiteManifest } from "../site-manifest.js";
import { registerOfflineProviders } from "./register-offline-providers.js";

/** What {@link runNotebook} returns to the test. */
export interface PageRun {
  /** Each prompt's outputs after the run, by name. */
  outputs: Record<string, Output[]>;
  /** The streamed pieces of the target prompt's model, in order. */
  deltas: string[];
  /** Milliseconds the run took. */
  ms: number;
  /** The error the run ended with, when it was cancelled or failed (name and message). */
  error?: string;
  /** What the providers warned of during the run (e.g. a `threads` setting that could not be followed). */
  warnings: string[];
}

/** What the test asks of a run besides its target. */
export interface PageRunOptions {
  /** Cancels the run (its AbortSignal) once this many pieces were streamed. */
  cancelAfterPieces?: number;
  /** Prompt name -> settings set on it before the run, as a visitor editing a cell's settings would. */
  settings?: Record<string, Record<string, string | number | boolean>>;
}

const siteRoot = new URL("..", location.href).href;

/** A relative `file_uri` attachment becomes the URL of that file in the site (the site holds the notebook's attachments). */
function attachmentsAsSiteUrls(config: { prompts: { input?: unknown }[] }): void {
  for (const prompt of config.prompts) {
    const input = prompt.input as { attachments?: { data: { kind?: string; value?: string } }[] } | undefined;
    for (const a of input?.attachments ?? []) {
      if (a.data.kind === "file_uri" && a.data.value && !/^[a-z]+:/i.test(a.data.value))
        a.data.value = new URL(a.data.value, siteRoot).href;
    }
  }
}

async function runNotebook(target: string, options: PageRunOptions = {}): Promise<PageRun> {
  const manifest = (await (await fetch(new URL("site.json", siteRoot))).json()) as SiteManifest;
  const config = await (await fetch(new URL(manifest.notebook, siteRoot))).json();
  attachmentsAsSiteUrls(config);
  const registry = new ProviderRegistry();
  registerOfflineProviders(registry, manifest, siteRoot);
  const runtime = AIConfigRuntime.loadJSON(config, { registry });
  for (const [prompt, settings] of Object.entries(options.settings ?? {})) {
    const model = runtime.getModelName(prompt);
    if (model) runtime.updateModel({ name: model, settings }, prompt);
  }
  const deltas: string[] = [];
  const warnings: string[] = [];
  const controller = new AbortController();
  const start = performance.now();
  let error: string | undefined;
  try {
    await runtime.runWithDependencies(
      target,
      {},
      {
        signal: controller.signal,
        onWarning: (warning) => warnings.push(warning),
        onStream: (chunk) => {
          deltas.push(chunk.delta);
          if (deltas.length === options.cancelAfterPieces) controller.abort();
        },
      },
    );
  } catch (e) {
    error = `${(e as Error).name}: ${(e as Error).message}`;
  }
  const outputs: Record<string, Output[]> = {};
  for (const prompt of runtime.config.prompts) outputs[prompt.name] = prompt.outputs ?? [];
  return { outputs, deltas, warnings, ms: performance.now() - start, ...(error ? { error } : {}) };
}

/** Puts a base64 WAV in an `<audio>` element, plays it fast, and resolves when it ended (or rejects on an error). */
async function playAudio(base64: string): Promise<{ duration: number; ended: boolean }> {
  const audio = document.createElement("audio");
  audio.src = `data:audio/wav;base64,${base64}`;
  document.body.append(audio);
  await new Promise((resolve, reject) => {
    audio.onloadedmetadata = resolve;
    audio.onerror = () => reject(new Error(`the audio element cannot load the WAV (error ${audio.error?.code})`));
  });
  const ended = new Promise<boolean>((resolve) => {
    audio.onended = () => resolve(true);
  });
  audio.playbackRate = 16;
  await audio.play();
  return { duration: audio.duration, ended: await ended };
}

Object.assign(globalThis, { runNotebook, playAudio });
document.body.dataset.ready = "true";
