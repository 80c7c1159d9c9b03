/**
 * Turns a llama request back into prompts (the reverse of `resolve`).
 *
 * @packageDocumentation
 */
import type { ModelSettings, Prompt, SerializeContext } from "@aiconfig-ts/core";
import type { LlamaRequest } from "./build-request.js";

/**
 * The prompts of a request: one for a completion; for a chat, one per user
 * message (the assistant replies become those prompts' outputs), the system
 * message becoming the `system_prompt` setting. The last prompt is named
 * `ctx.promptName`, earlier ones `NAME_1`, `NAME_2`, ...
 * @throws {TypeError} when `request` is not a llama request (no `model_path`).
 */
export function serializeLlamaRequest(request: unknown, ctx: SerializeContext): Prompt[] {
  const r = request as Partial<LlamaRequest>;
  if (!r || typeof r !== "object" || typeof r.model_path !== "string") {
    throw new TypeError("llama: cannot serialize: the request has no model_path (expected what the llama provider's resolve returns)");
  }
  const settings: ModelSettings = { model_path: r.model_path };
  for (const key of ["max_tokens", "temperature", "top_k", "top_p", "seed", "threads", "context_size"] as const) {
    if (r[key] !== undefined) settings[key] = r[key];
  }
  if (r.stop) settings["stop"] = r.stop;
  const parameters = { ...ctx.parameters };
  const metadata = () => ({ model: { name: ctx.model, settings: { ...settings } }, parameters });
  if (r.mode !== "chat") return [{ name: ctx.promptName, input: r.prompt ?? "", metadata: metadata() }];
  const messages = r.messages ?? [];
  const system = messages.find((m) => m.role === "system");
  if (system) settings["system_prompt"] = system.content;
  const users = messages.filter((m) => m.role === "user");
  const prompts: Prompt[] = [];
  let index = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role !== "user") continue;
    index++;
    const reply = messages[i + 1]?.role === "assistant" ? messages[i + 1]!.content : undefined;
    const prompt: Prompt = {
      name: index === users.length ? ctx.promptName : `${ctx.promptName}_${index}`,
      input: m.content,
      metadata: metadata(),
    };
    if (reply !== undefined) prompt.outputs = [{ output_type: "execute_result", data: reply, execution_count: 0 }];
    prompts.push(prompt);
  }
  return prompts;
}
