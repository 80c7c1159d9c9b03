/**
 * Test support: a runtime whose registry holds only this package's providers,
 * pointed at a local replay server, and the recorded OpenAI responses.
 */
import { AIConfigRuntime, ProviderRegistry } from "@aiconfig-ts/core";
import { readFixtureChunks, readFixtureJSON, type ReplayServer, type Reply } from "@aiconfig-ts/testing";
import { register } from "./register.js";

/** A fake key: tests check that it is sent and never stored. */
export const TEST_KEY = "sk-test-0123456789abcdef";

/** An environment sending OpenAI requests to the replay server. */
export function envFor(server: ReplayServer, extra: Record<string, string> = {}): Record<string, string> {
  return { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: `${server.url}/v1`, ...extra };
}

/** A registry with this package's providers only (no parent). */
export function testRegistry(): ProviderRegistry {
  return register(new ProviderRegistry());
}

/** A runtime over a document (object or path) with this package's providers and the given environment. */
export function runtimeFor(doc: object | string, env: Record<string, string | undefined>): AIConfigRuntime {
  const options = { registry: testRegistry(), env };
  return typeof doc === "string" ? AIConfigRuntime.load(doc, options) : AIConfigRuntime.loadJSON(doc, options);
}

/** A one-prompt document. */
export function onePrompt(input: unknown, model: unknown = "gpt-4", extra: Record<string, unknown> = {}): object {
  return { name: "t", schema_version: "latest", metadata: {}, prompts: [{ name: "p", input, metadata: { model, ...extra } }] };
}

/** The recorded non-streamed chat completion. */
export const textCompletion = readFixtureJSON("openai", "openai-text.json") as {
  id: string;
  model: string;
  created: number;
  usage: object;
  system_fingerprint: string;
  choices: Array<{ message: { content: string } }>;
};

/** The recorded chat stream, one JSON payload per event. */
export const textChunks = readFixtureChunks("openai", "openai-text.chunks.txt");

/** A reply streaming JSON payloads as server-sent events, ending with `[DONE]`. */
export function sseReply(chunks: ReadonlyArray<string | object>, extra: { breakAfter?: number; delayMs?: number } = {}): Reply {
  return { sse: chunks.map((c) => (typeof c === "string" ? c : JSON.stringify(c))), done: true, ...extra };
}

/** The text the chunks of a stream carry for one choice. */
export function streamedText(chunks: readonly string[], index = 0): string {
  return chunks
    .map((c) => JSON.parse(c) as { choices: Array<{ index: number; delta?: { content?: string | null } }> })
    .flatMap((c) => c.choices.filter((ch) => ch.index === index).map((ch) => ch.delta?.content ?? ""))
    .join("");
}

/** Waits until the server has received `count` requests. */
export async function requestsReceived(server: ReplayServer, count: number): Promise<void> {
  while (server.requests.length < count) await new Promise((r) => setTimeout(r, 5));
}
