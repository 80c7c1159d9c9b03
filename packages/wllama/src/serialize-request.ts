/**
 * Turns a wllama request back into a prompt (the reverse of `resolve`).
 *
 * @packageDocumentation
 */
import type { ModelSettings, Prompt, SerializeContext } from "@aiconfig-ts/core";
import type { WllamaRequest } from "./build-request.js";

/**
 * One prompt holding the request's text and the settings it carries (the
 * model's URL is the site's and is not written back).
 * @throws {TypeError} when `request` is not a wllama request (no `model_url`)
 */
export function serializeWllamaRequest(request: unknown, ctx: SerializeContext): Prompt[] {
  const r = request as Partial<WllamaRequest>;
  if (!r || typeof r !== "object" || typeof r.model_url !== "string") {
    throw new TypeError("wllama: cannot serialize: the request has no model_url (expected what the wllama provider's resolve returns)");
  }
  const settings: ModelSettings = {};
  for (const key of ["max_tokens", "temperature", "top_k", "top_p", "seed", "threads", "context_size"] as const) {
    if (r[key] !== undefined) settings[key] = r[key];
  }
  if (r.stop) settings["stop"] = r.stop;
  const system = r.messages?.find((m) => m.role === "system");
  if (system) settings["system_prompt"] = system.content;
  return [
    { name: ctx.promptName, input: r.prompt ?? "", metadata: { model: { name: ctx.model, settings }, parameters: { ...ctx.parameters } } },
  ];
}
