/**
 * The messages a local chat model (a GGUF with a chat template) is given:
 * the system prompt, the earlier prompts of the model with their outputs,
 * then the prompt. Shared by the Node provider (`build-request.ts`) and the
 * page's (`@aiconfig-ts/wllama`, through `./portable`), so a file gives the
 * same conversation in both. Browser-safe.
 *
 * Local models get no tools (neither node-llama-cpp's chat session nor
 * wllama is given function definitions here), so function calling that other
 * providers made earlier in the chat is sent as text, written to be read:
 * an output with tool calls is an assistant message of one line per call,
 * `Tool call: NAME(ARGUMENTS)` (the text beside them, `metadata.text` or
 * `metadata.content`, first), and an input that is a tool's result
 * (`{role: "tool" | "function", tool_call_id?, name?, data}`) a user message
 * `Tool result (NAME): DATA`, NAME being `input.name`, else the name of the
 * call it answers (core's `OpenToolCalls`: by `tool_call_id`, else by
 * `input.name`, else the next unanswered call), else left out (`Tool result: DATA`).
 *
 * @packageDocumentation
 */
import {
  chatTurnsOf,
  OpenToolCalls,
  type Output,
  outputToolCalls,
  type Prompt,
  type ResolveContext,
  type ToolCall,
  toolResultInput,
} from "@aiconfig-ts/core";

/** A chat message of a request to a chat model. */
export interface LlamaChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** The text beside an output's tool calls: `metadata.text` (Gemini's) or `metadata.content` (OpenAI's, Hugging Face's), when a non-empty string. */
function textBeside(output: Output | undefined): string | undefined {
  const metadata =
    output?.output_type === "execute_result" ? (output.metadata as { text?: unknown; content?: unknown } | undefined) : undefined;
  for (const text of [metadata?.text, metadata?.content]) if (typeof text === "string" && text !== "") return text;
  return undefined;
}

/** An assistant turn that made tool calls, as text: the text beside them, then `Tool call: NAME(ARGUMENTS)` per call. */
function toolCallsText(calls: readonly ToolCall[], output?: Output): string {
  const lines = calls.map(
    (call) => `Tool call: ${call.function.name}(${typeof call.function.arguments === "string" ? call.function.arguments : ""})`,
  );
  const text = textBeside(output);
  return (text === undefined ? lines : [text, ...lines]).join("\n");
}

/** A user turn holding a tool's result, as text: `Tool result (NAME): TEXT`, or `Tool result: TEXT` when no name is known. */
function toolResultText(prompt: Readonly<Prompt>, text: string, open: OpenToolCalls): string | undefined {
  const result = toolResultInput(prompt);
  if (!result) return undefined;
  const call = open.match(result.toolCallId, result.name);
  const name = result.name ?? call?.function.name;
  return name === undefined ? `Tool result: ${text}` : `Tool result (${name}): ${text}`;
}

/**
 * The messages for a chat model: `systemPrompt` (when set), for each earlier
 * prompt of the same model ({@link ResolveContext.chatTurns}; none when
 * `remember_chat_context` is false) its text as a user message and its
 * latest output's text as an assistant message (a prompt not run yet has
 * none), then the prompt's text. Tool calls and tool results are text, as
 * this module's header says.
 */
export function llamaChatMessages(ctx: ResolveContext, systemPrompt: string | undefined): LlamaChatMessage[] {
  const messages: LlamaChatMessage[] = [];
  if (systemPrompt) messages.push({ role: "system", content: systemPrompt });
  const turns = chatTurnsOf(ctx);
  const open = new OpenToolCalls();
  for (let i = 0; i < turns.length; i++) {
    const prompt = turns.prompt(i);
    const text = turns.text(i);
    const result = typeof prompt.input === "string" ? undefined : toolResultText(prompt, text, open);
    messages.push({ role: "user", content: result ?? text });
    const output = turns.output(i);
    const calls = outputToolCalls(output);
    if (calls) {
      open.called(calls);
      messages.push({ role: "assistant", content: toolCallsText(calls, output) });
      continue;
    }
    const outputText = turns.outputText(i);
    if (outputText !== undefined) {
      open.closed();
      messages.push({ role: "assistant", content: outputText });
    }
  }
  messages.push({ role: "user", content: toolResultText(ctx.prompt, ctx.input.text, open) ?? ctx.input.text });
  return messages;
}
