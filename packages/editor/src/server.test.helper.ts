/**
 * Test support for the editor's server: a temporary folder with an aiconfig
 * file and the test providers module beside it, an editor started on it, and
 * a client for its API (token in a header) that follows runs over SSE.
 */
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AIConfig, ProviderRegistry, defaultRegistry } from "@aiconfig-ts/core";
import type { RunEvent } from "./api-types.js";
import { tempDir } from "./browser.test.helper.js";
import { type RunningEditor, type StartEditorOptions, startEditor } from "./server/start-editor.js";

/** The providers module of the tests (echo, slow-echo, fail-model, burst). */
export const TEST_PROVIDERS_MODULE = fileURLToPath(new URL("./testdata/aiconfig.providers.mjs", import.meta.url));

/** A document with the given prompts (name, input, model). */
export function testConfig(prompts: AIConfig["prompts"], extra: Partial<AIConfig> = {}): AIConfig {
  return { name: "test notebook", schema_version: "latest", metadata: { parameters: {} }, prompts, ...extra };
}

/** An editor on a new folder holding `file` (written from `config` unless `null`) and the test providers module. */
export interface TestEditor extends RunningEditor {
  dir: string;
  file: string;
  /** Base URL without the token, ending in `/`. */
  base: string;
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Starts a run and collects its events until `done`. */
  run(body: unknown): Promise<RunEvent[]>;
}

/** Starts an editor for a test (without opening a browser). */
export async function startTestEditor(
  config: AIConfig | null,
  options: Partial<StartEditorOptions> & { fileName?: string; withLlama?: boolean; dotenv?: string } = {},
): Promise<TestEditor> {
  const dir = tempDir();
  const file = join(dir, options.fileName ?? "notebook.aiconfig.json");
  if (config) writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  copyFileSync(TEST_PROVIDERS_MODULE, join(dir, "aiconfig.providers.mjs"));
  if (options.dotenv !== undefined) writeFileSync(join(dir, ".env"), options.dotenv);
  const registry = new ProviderRegistry(defaultRegistry);
  if (options.withLlama) (await import("@aiconfig-ts/llama")).register(registry);
  // Named, as a user names it with --providers: a module beside the file is imported only from a trusted folder.
  const providersModule = options.readOnly ? undefined : join(dir, "aiconfig.providers.mjs");
  const editor = await startEditor({ file, open: false, registry, providersModule, ...options });
  const base = `http://127.0.0.1:${editor.port}/`;
  const api = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    headers.set("x-aiconfig-token", editor.token);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    return fetch(new URL(path, base), { ...init, headers, body, method: init.method ?? (body !== undefined ? "POST" : "GET") });
  };
  return {
    ...editor,
    dir,
    file,
    base,
    api,
    async run(body) {
      const started = await api("api/runs", { json: body });
      if (!started.ok) throw new Error(`run refused: ${started.status} ${await started.text()}`);
      const { runId } = (await started.json()) as { runId: string };
      return collectRunEvents(api, runId);
    },
  };
}

/** Reads a run's SSE stream until `done`; returns the events. */
export async function collectRunEvents(api: TestEditor["api"], runId: string, onEvent?: (e: RunEvent) => void): Promise<RunEvent[]> {
  const res = await api(`api/runs/${runId}/events`);
  if (!res.ok || !res.body) throw new Error(`events refused: ${res.status}`);
  const events: RunEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).replace(/^ /, ""))
        .join("\n");
      if (data) {
        const event = JSON.parse(data) as RunEvent;
        events.push(event);
        onEvent?.(event);
        if (event.type === "done") return events;
      }
      end = buffer.indexOf("\n\n");
    }
  }
  return events;
}
