/**
 * Gemini's thought signatures, kept in a stored output so that a later
 * prompt's chat context can send them back.
 *
 * A thinking model (Gemini 2.5, 3) may put a `thoughtSignature` (an opaque
 * base64 string) on any part of its reply; Gemini 3 puts one on the first
 * function call of every step and answers 400 when a function call of the
 * current turn comes back without it. The stored output keeps them in
 * `metadata.thoughtSignatures`:
 *
 * ```json
 * { "toolCalls": ["EskgCsYg...", null], "text": "EqUC..." }
 * ```
 *
 * - `toolCalls[i]` is the signature of the call `data.value[i]` (`null` when
 *   that call came without one: of parallel calls only the first has one);
 *   absent when no call had one;
 * - `text` is the signature found on the reply's other parts (its text,
 *   thought summaries, or the empty text part that ends a stream), sent back
 *   on the text part of the model turn; absent when none had one.
 *
 * An image (or other media) output of an image model holds the signature of
 * its own `inlineData` part: `{ "inlineData": "Ep4B..." }` (see
 * `responseToOutputs`).
 *
 * Outputs stored before signatures were kept have no `thoughtSignatures`:
 * on a model that may require signatures (see
 * {@link sendsPlaceholderSignature}: not Gemini 1.x or 2.x) the first
 * function call of their model turn is sent with Google's placeholder
 * ({@link PLACEHOLDER_THOUGHT_SIGNATURE}), their other parts without one.
 *
 * Source: https://ai.google.dev/gemini-api/docs/thought-signatures and the
 * `Part.thoughtSignature` field of `@google/genai`.
 *
 * @packageDocumentation
 */
import type { Part } from "@google/genai";

/** The thought signatures of one output (`metadata.thoughtSignatures`). */
export interface ThoughtSignatures {
  /** One entry per tool call of the output's `data.value`, in order: its signature, or `null`. */
  toolCalls?: Array<string | null>;
  /** The signature of the reply's parts other than function calls and media (the last one found). */
  text?: string;
  /** On a media output (an image of an image model): the signature of its `inlineData` part. */
  inlineData?: string;
}

/**
 * The signature Google documents for a function call that Gemini 3 did not
 * sign, such as one saved before signatures were kept or made by another
 * model: Gemini 3 skips its check of that call instead of answering 400.
 * Sent as the JSON string the Gemini API docs show, on the first
 * `functionCall` part of a model turn that has no stored signature. Not put
 * on images: the docs name it for function calls only, and Gemini 3 Pro Image
 * does not check image signatures (Vertex AI's thought-signatures page).
 *
 * Source: https://ai.google.dev/gemini-api/docs/gemini-3 (migrating from
 * other models: `"thoughtSignature": "context_engineering_is_the_way_to_go"`)
 * and https://ai.google.dev/gemini-api/docs/thought-signatures (FAQs: the
 * dummy signatures `context_engineering_is_the_way_to_go` and
 * `skip_thought_signature_validator`).
 */
export const PLACEHOLDER_THOUGHT_SIGNATURE = "context_engineering_is_the_way_to_go";

/**
 * Whether a call without a stored signature gets {@link PLACEHOLDER_THOUGHT_SIGNATURE}
 * on a request to `model` (the request's model id): not when the id names a
 * Gemini 1.x or 2.x model (`gemini-2.5-flash`, `models/gemini-1.5-pro`,
 * `gemini-pro`), which do not require signatures and for which Google's
 * documents give no placeholder, so their requests stay as they were; yes for
 * Gemini 3 and for ids that do not say (aliases such as
 * `gemini-flash-latest`, tuned models), which may require one.
 */
export function sendsPlaceholderSignature(model: string): boolean {
  return !/^(models\/)?gemini-([12](\.|-|$)|pro(-vision)?$)/i.test(model);
}

/** A part's thought signature, or `undefined` when it has none (or an empty one). */
export function partThoughtSignature(part: Part): string | undefined {
  return typeof part.thoughtSignature === "string" && part.thoughtSignature !== "" ? part.thoughtSignature : undefined;
}

/**
 * The thought signatures of a reply's parts (function calls already merged,
 * see `mergeFunctionCallParts`): each function call's, in order, and the last
 * one on a part that is neither a function call nor media (`inlineData`).
 * @returns `undefined` when no part has a signature.
 */
export function partsThoughtSignatures(parts: readonly Part[]): ThoughtSignatures | undefined {
  const toolCalls: Array<string | null> = [];
  let anyCall = false;
  let text: string | undefined;
  for (const part of parts) {
    const signature = partThoughtSignature(part);
    if (part.functionCall) {
      toolCalls.push(signature ?? null);
      if (signature) anyCall = true;
    } else if (signature && !part.inlineData) text = signature;
  }
  if (!anyCall && text === undefined) return undefined;
  const signatures: ThoughtSignatures = {};
  if (anyCall) signatures.toolCalls = toolCalls;
  if (text !== undefined) signatures.text = text;
  return signatures;
}

/**
 * The thought signatures stored in an output's metadata, read as untrusted
 * file content: entries that are not non-empty strings are left out, and an
 * output without `thoughtSignatures` (an older version's) has none.
 */
export function storedThoughtSignatures(metadata: { readonly [key: string]: unknown } | undefined): ThoughtSignatures {
  const stored = metadata?.thoughtSignatures;
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) return {};
  const { toolCalls, text, inlineData } = stored as { toolCalls?: unknown; text?: unknown; inlineData?: unknown };
  const signatures: ThoughtSignatures = {};
  if (Array.isArray(toolCalls)) signatures.toolCalls = toolCalls.map((s) => (typeof s === "string" && s !== "" ? s : null));
  if (typeof text === "string" && text !== "") signatures.text = text;
  if (typeof inlineData === "string" && inlineData !== "") signatures.inlineData = inlineData;
  return signatures;
}
