/**
 * The parts of the `model` turn that an earlier prompt's output becomes in
 * the chat context: its text, or its tool calls as `functionCall` parts, each
 * with the thought signature the reply gave it.
 *
 * Source: https://ai.google.dev/gemini-api/docs/function-calling (the model
 * turn of a function call is sent back as it came, before the function's
 * result) and https://ai.google.dev/gemini-api/docs/thought-signatures
 * (signatures go back on the part they came on; dummy signatures for calls
 * Gemini 3 did not sign).
 *
 * @packageDocumentation
 */
import type { Part } from "@google/genai";
import { isToolCallsData, type Output, outputToolCalls, type ToolCall, toolCallArguments } from "@aiconfig-ts/core";
import { PLACEHOLDER_THOUGHT_SIGNATURE, storedThoughtSignatures } from "./thought-signatures.js";

/** A stored call's arguments as an object: core's `toolCallArguments`, under the name this package first gave it. */
export const toolCallArgs = toolCallArguments;

/** The tool calls of an output (core's `outputToolCalls`), re-exported where this package first had it. */
export { outputToolCalls };

/**
 * The parts of the model turn of an output with tool calls: the text beside
 * the calls (`metadata.text`) as a text part first, then one `functionCall`
 * part per call (`{name, args, id?}`, `args` parsed from the stored
 * arguments), each part with its stored thought signature
 * (`metadata.thoughtSignatures`, see `storedThoughtSignatures`). When the
 * first call has no stored signature (an output saved before signatures were
 * kept, or by a model that gave none) and `placeholder` is set (see
 * `sendsPlaceholderSignature`), it gets Google's placeholder
 * (`PLACEHOLDER_THOUGHT_SIGNATURE`), which Gemini 3 accepts in place of the
 * signature it requires on the first call of a step; the other calls go
 * without one, as parallel calls come.
 * @param prompt the name of the prompt the output belongs to (for errors)
 * @param placeholder whether an unsigned first call gets the placeholder (the request's model may require a signature)
 * @throws {InvalidInputError} when a call's arguments are not the JSON of an object.
 */
export function toolCallsModelParts(output: Output, calls: readonly ToolCall[], prompt: string, placeholder: boolean): Part[] {
  const metadata = output.output_type === "execute_result" ? output.metadata : undefined;
  const signatures = storedThoughtSignatures(metadata);
  const parts: Part[] = [];
  const text = metadata?.text;
  if (typeof text === "string" && text !== "") {
    parts.push(signatures.text ? { text, thoughtSignature: signatures.text } : { text });
  }
  calls.forEach((call, i) => {
    const functionCall: NonNullable<Part["functionCall"]> = { name: call.function.name, args: toolCallArguments(call, prompt, i) };
    if (typeof call.id === "string" && call.id !== "") functionCall.id = call.id;
    const signature = signatures.toolCalls?.[i] ?? (i === 0 && placeholder ? PLACEHOLDER_THOUGHT_SIGNATURE : undefined);
    parts.push(signature ? { functionCall, thoughtSignature: signature } : { functionCall });
  });
  return parts;
}

/**
 * The parts of the model turn of an earlier prompt's output without tool
 * calls: its text as one part, with the stored text signature
 * (`metadata.thoughtSignatures.text`) when the output's data is that text.
 * @param text the output's text as the runtime reads it (`ChatTurns.outputText`)
 * @returns no parts for an output without text, or with tool calls (see {@link toolCallsModelParts}).
 */
export function textModelParts(output: Output, text: string | undefined): Part[] {
  if (!text || output.output_type !== "execute_result" || isToolCallsData(output.data)) return [];
  if (output.data === text && output.metadata?.thoughtSignatures !== undefined) {
    const signature = storedThoughtSignatures(output.metadata).text;
    if (signature) return [{ text, thoughtSignature: signature }];
  }
  return [{ text }];
}
