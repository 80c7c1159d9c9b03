/**
 * Turns generateContent responses (whole, or streamed chunks merged) into the
 * outputs stored on a prompt.
 *
 * Source: https://ai.google.dev/api/generate-content#generatecontentresponse
 * (candidates, parts, `finishReason`, `usageMetadata`, `promptFeedback`).
 *
 * @packageDocumentation
 */
import type { Candidate, GenerateContentResponse, Part } from "@google/genai";
import { type ExecuteResult, type StoredData, type ToolCall, decodeBase64 } from "@aiconfig-ts/core";
import { mergeFunctionCallParts } from "./merge-function-call-parts.js";
import { partsThoughtSignatures, partThoughtSignature } from "./thought-signatures.js";

/** The fields of a response this package reads (a plain object or the SDK's class). */
export type GeminiResponse = Pick<
  GenerateContentResponse,
  "candidates" | "usageMetadata" | "promptFeedback" | "modelVersion" | "responseId"
>;

/** Stores binary output (the run context's `storeBinary`). */
export type StoreBinary = (bytes: Uint8Array, mimeType: string) => Promise<StoredData>;

/** The answer text of parts: their `text`, joined, without thought summaries. */
export function partsText(parts: readonly Part[] | undefined): string {
  return (parts ?? []).map((p) => (typeof p.text === "string" && !p.thought ? p.text : "")).join("");
}

/**
 * The function calls of parts, shaped like OpenAI's tool calls:
 * `{id?, type: "function", function: {name, arguments}}` where `arguments` is
 * the JSON text of the call's `args` (`id` only when the API gave one). A call
 * streamed in pieces (Gemini 3's `willContinue` / `partialArgs`) is one call
 * with its whole arguments (see `mergeFunctionCallParts`).
 */
export function partsToolCalls(parts: readonly Part[] | undefined): ToolCall[] {
  return mergedToolCalls(mergeFunctionCallParts(parts ?? []));
}

/** The tool calls of parts whose streamed calls are already merged. */
function mergedToolCalls(parts: readonly Part[]): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const part of parts) {
    const fc = part.functionCall;
    if (!fc) continue;
    const call: ToolCall = { type: "function", function: { name: fc.name ?? "", arguments: JSON.stringify(fc.args ?? {}) } };
    if (fc.id) call.id = fc.id;
    calls.push(call);
  }
  return calls;
}

/**
 * The media parts of a reply (`inlineData` with data, thought images left
 * out), in order, each with the length (UTF-16 code units) of the answer
 * text (see {@link partsText}) before it, which places it in that text.
 */
export function mediaParts(parts: readonly Part[]): Array<{ part: Part; textBefore: number }> {
  const media: Array<{ part: Part; textBefore: number }> = [];
  let textBefore = 0;
  for (const part of parts) {
    if (part.thought) continue;
    if (typeof part.text === "string") textBefore += part.text.length;
    else if (part.inlineData?.data) media.push({ part, textBefore });
  }
  return media;
}

function plain<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function responseMetadata(response: GeminiResponse): { [key: string]: unknown } {
  const metadata: { [key: string]: unknown } = {};
  if (response.usageMetadata) metadata.usageMetadata = plain(response.usageMetadata);
  if (response.modelVersion) metadata.modelVersion = response.modelVersion;
  if (response.responseId) metadata.responseId = response.responseId;
  if (response.promptFeedback) metadata.promptFeedback = plain(response.promptFeedback);
  return metadata;
}

/**
 * The outputs of a response, one per candidate (`execution_count` is the
 * candidate's index): `data` is the text, or, when the model called
 * functions, `{kind: "tool_calls", value}` (text beside the calls goes to
 * `metadata.text`). `metadata` holds `finishReason`, `finishMessage`,
 * `safetyRatings`, `citationMetadata`, `groundingMetadata`, the thought summaries (`thoughts`)
 * when asked for, the thought signatures (`thoughtSignatures`, see
 * `partsThoughtSignatures`: one per call, and the text's), and the response's `usageMetadata`, `modelVersion`,
 * `responseId`, `promptFeedback`. Inline data parts (images from image
 * models; thought images left out) become further outputs of the candidate,
 * after its text output, stored through `storeBinary`, with their MIME type;
 * each one's `metadata` is the candidate's, with `thoughtSignatures` being
 * `{inlineData}`, its part's own signature (absent when it had none), and,
 * when the candidate has text, `textBefore`: the number of characters
 * (UTF-16 code units) of that text before the image, so that the model turn
 * goes back with its parts in their order (see `mediaModelParts`). A
 * response without candidates (a blocked prompt) gives one output with empty
 * text and its `promptFeedback`.
 */
export async function responseToOutputs(response: GeminiResponse, storeBinary?: StoreBinary): Promise<ExecuteResult[]> {
  const shared = responseMetadata(response);
  const candidates = response.candidates ?? [];
  if (candidates.length === 0) return [{ output_type: "execute_result", execution_count: 0, data: "", metadata: shared }];
  const outputs: ExecuteResult[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i] as Candidate;
    const parts = candidate.content?.parts;
    const index = candidate.index ?? i;
    const metadata: { [key: string]: unknown } = {};
    if (candidate.finishReason) metadata.finishReason = candidate.finishReason;
    if (candidate.finishMessage) metadata.finishMessage = candidate.finishMessage;
    if (candidate.safetyRatings) metadata.safetyRatings = plain(candidate.safetyRatings);
    if (candidate.citationMetadata) metadata.citationMetadata = plain(candidate.citationMetadata);
    if (candidate.groundingMetadata) metadata.groundingMetadata = plain(candidate.groundingMetadata);
    const thoughts = (parts ?? []).map((p) => (p.thought && typeof p.text === "string" ? p.text : "")).join("");
    if (thoughts) metadata.thoughts = thoughts;
    Object.assign(metadata, shared);
    const text = partsText(parts);
    const merged = mergeFunctionCallParts(parts ?? []);
    const calls = mergedToolCalls(merged);
    const signatures = partsThoughtSignatures(merged);
    if (signatures) metadata.thoughtSignatures = signatures;
    const media = mediaParts(parts ?? []);
    if (calls.length > 0) {
      outputs.push({
        output_type: "execute_result",
        execution_count: index,
        data: { kind: "tool_calls", value: calls },
        metadata: text === "" ? metadata : { ...metadata, text },
      });
    } else if (text !== "" || media.length === 0) {
      outputs.push({ output_type: "execute_result", execution_count: index, data: text, metadata });
    }
    for (const { part, textBefore } of media) {
      const { data, mimeType = "application/octet-stream" } = part.inlineData as { data: string; mimeType?: string };
      const stored: StoredData = storeBinary ? await storeBinary(decodeBase64(data), mimeType) : { kind: "base64", value: data };
      const own: { [key: string]: unknown } = { ...metadata };
      delete own.thoughtSignatures;
      const signature = partThoughtSignature(part);
      if (signature) own.thoughtSignatures = { inlineData: signature };
      if (text !== "") own.textBefore = textBefore;
      outputs.push({ output_type: "execute_result", execution_count: index, data: stored, mime_type: mimeType, metadata: own });
    }
  }
  return outputs;
}

/**
 * Merges streamed chunks into one response: per candidate index, the parts in
 * order and the latest finish reason, safety ratings, citations and grounding; the
 * latest usage, model version, response id and prompt feedback.
 */
export class ResponseAccumulator {
  readonly #candidates = new Map<number, Candidate>();
  #response: GeminiResponse = {} as GeminiResponse;

  /**
   * Adds a chunk.
   * @returns the new answer text of each candidate in the chunk (index, text), for streaming
   */
  add(chunk: GeminiResponse): Array<{ index: number; delta: string }> {
    const deltas: Array<{ index: number; delta: string }> = [];
    for (const [i, c] of (chunk.candidates ?? []).entries()) {
      const index = c.index ?? i;
      const merged = this.#candidates.get(index) ?? { index, content: { role: "model", parts: [] } };
      const parts = c.content?.parts ?? [];
      merged.content = { role: c.content?.role ?? merged.content?.role ?? "model", parts: [...(merged.content?.parts ?? []), ...parts] };
      for (const key of ["finishReason", "finishMessage", "safetyRatings", "citationMetadata", "groundingMetadata"] as const) {
        if (c[key] !== undefined) (merged as { [k: string]: unknown })[key] = c[key];
      }
      this.#candidates.set(index, merged);
      const delta = partsText(parts);
      if (delta !== "") deltas.push({ index, delta });
    }
    const r = this.#response as { [key: string]: unknown };
    for (const key of ["usageMetadata", "modelVersion", "responseId", "promptFeedback"] as const) {
      if (chunk[key] !== undefined) r[key] = chunk[key];
    }
    return deltas;
  }

  /** The merged response. */
  response(): GeminiResponse {
    return { ...this.#response, candidates: [...this.#candidates.values()].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)) };
  }
}
