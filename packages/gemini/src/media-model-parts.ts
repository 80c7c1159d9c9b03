/**
 * The model turn of an earlier prompt whose reply held images (Gemini's
 * image models: gemini-2.5-flash-image, gemini-3-pro-image-preview): its text
 * and images go back as the reply gave them, each image an `inlineData` part
 * with its thought signature, so that multi-turn image editing sees the
 * image it edits.
 *
 * A reply's images are stored as outputs after the candidate's text output
 * (see `responseToOutputs`), so a chat turn's latest output is its last
 * image; the candidate's other outputs are found before it in the prompt's
 * `outputs`.
 *
 * Source: https://ai.google.dev/gemini-api/docs/image-generation (multi-turn
 * image editing: the model's turn, images included, goes back in the
 * history) and https://ai.google.dev/gemini-api/docs/thought-signatures
 * (signatures go back on the part they came on; image models sign the first
 * part after their thoughts and every `inlineData` part).
 *
 * @packageDocumentation
 */
import type { Part } from "@google/genai";
import {
  AttachmentError,
  AttachmentPathError,
  encodeBase64,
  type ExecuteResult,
  isMediaOutput,
  type Output,
  outputText,
  outputToolCalls,
  type Prompt,
  resolveAttachment,
  type ResolveContext,
  type StoredData,
  type ToolCall,
} from "@aiconfig-ts/core";
import { toolCallsModelParts } from "./model-turn-parts.js";
import { storedThoughtSignatures } from "./thought-signatures.js";

/**
 * The outputs of the candidate that `output` (one of `prompt.outputs`)
 * belongs to: `output` and the `execute_result` outputs of the same
 * `execution_count` right before it, back to the first that is not media
 * (the candidate's text or tool calls), which comes first.
 */
export function candidateOutputs(prompt: Readonly<Prompt>, output: Output): Output[] {
  const outputs = prompt.outputs ?? [];
  const end = outputs.lastIndexOf(output);
  if (end === -1 || output.output_type !== "execute_result") return [output];
  let start = end;
  while (start > 0) {
    const before = outputs[start - 1]!;
    if (before.output_type !== "execute_result" || before.execution_count !== output.execution_count) break;
    start--;
    if (!isMediaOutput(before)) break;
  }
  return outputs.slice(start, end + 1);
}

/**
 * Whether an output is an image (`isMediaOutput` with an `image/*` MIME
 * type): an image model's reply, which goes back in the chat context. Other
 * media (a TTS model's audio) do not: Google documents multi-turn editing for
 * images only, and TTS models take text alone.
 */
export function isImageOutput(output: Output | undefined): output is ExecuteResult & { data: StoredData } {
  return isMediaOutput(output) && /^image\//i.test(output.mime_type ?? "");
}

/** Where a chat turn's stored images are read from. */
export interface StoredMediaSource {
  /** The document (to name the output's place in errors). */
  readonly config: ResolveContext["config"];
  /** The aiconfig file's folder: a stored file is read only inside it. */
  readonly configDir: string | undefined;
  /** Whether an unsigned function call gets the placeholder signature (see `sendsPlaceholderSignature`). */
  readonly placeholder: boolean;
}

/**
 * The base64 of a stored image: the stored value of `{kind: "base64"}`, or
 * the bytes of the file a `{kind: "file_uri"}` names, read by core's
 * `resolveAttachment` (a relative path inside the aiconfig file's folder, as
 * core's `storeBinaryOutput` writes it, or a `data:` URL).
 * @throws {AttachmentError} one line naming the prompt, the output and its
 *   place, when the file is outside the folder (the reason core's
 *   `checkAttachmentPath` gives), cannot be read (a missing file, a `file:`
 *   URL of another host, a broken `data:` URL), or is an `http(s):` URL: an
 *   image the file points at elsewhere is not fetched and sent on.
 */
async function storedBase64(
  prompt: Readonly<Prompt>,
  output: ExecuteResult & { data: StoredData },
  source: StoredMediaSource,
): Promise<string> {
  const { data } = output;
  if (data.kind === "base64") return data.value;
  const index = (prompt.outputs ?? []).indexOf(output);
  const pointer = `/prompts/${source.config.prompts.indexOf(prompt as Prompt)}/outputs/${index}`;
  const image = `prompt "${prompt.name}": output ${index + 1} (at ${pointer}) is an image at ${JSON.stringify(data.value)}`;
  if (/^https?:/i.test(data.value)) {
    throw new AttachmentError(
      `${image}, which is not fetched to send back to Gemini: only images kept in the file (base64) or beside it (a path inside its folder) go back in the chat context; run the prompt again`,
    );
  }
  try {
    const resolved = resolveAttachment({ data, mime_type: output.mime_type }, source.configDir, { prompt: prompt.name, pointer });
    return encodeBase64(await resolved.bytes());
  } catch (error) {
    if (AttachmentPathError.isInstance(error)) {
      throw new AttachmentError(
        `${image}, which is refused: ${error.reason}; stored images are read only inside the aiconfig file's folder`,
      );
    }
    // Any other failure is of the stored value too: a `file:` URL Node cannot
    // take (another host, an encoded "/": TypeError), a `data:` URL of broken
    // escapes (URIError).
    throw new AttachmentError(`${image}, which cannot be read (${(error as Error).message}); run the prompt again`);
  }
}

/** An image output as an `inlineData` part, with its stored signature (`metadata.thoughtSignatures.inlineData`). */
async function mediaPart(prompt: Readonly<Prompt>, output: ExecuteResult & { data: StoredData }, source: StoredMediaSource): Promise<Part> {
  const mimeType = output.mime_type === "image/jpg" ? "image/jpeg" : (output.mime_type as string);
  const inlineData = { mimeType, data: await storedBase64(prompt, output, source) };
  const signature = storedThoughtSignatures(output.metadata).inlineData;
  return signature ? { inlineData, thoughtSignature: signature } : { inlineData };
}

/** An image's place in the candidate's text (`metadata.textBefore`), or `undefined` when not stored as a whole number. */
function textBefore(output: Output): number | undefined {
  const value = output.output_type === "execute_result" ? output.metadata?.textBefore : undefined;
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * The parts of the model turn of an earlier prompt whose latest output is
 * an image ({@link isImageOutput}): the candidate's outputs (see
 * {@link candidateOutputs}) in the reply's order. Its text is cut at each
 * image's `metadata.textBefore` (an image without one goes after the text),
 * the first piece carrying the text's stored signature; each image is an
 * `inlineData` part with its bytes in base64 and its stored signature (none
 * when it had none: Gemini 2.5 Flash Image does not sign, and the docs name
 * no placeholder for images). A candidate whose first output has tool calls
 * gives their parts (see `toolCallsModelParts`), then its images.
 * @returns the parts, and the tool calls the turn opens (if any)
 * @throws {AttachmentError} when a stored image cannot be read (see `storedBase64`).
 * @throws {InvalidInputError} when a stored call's arguments are not a JSON object.
 */
export async function mediaModelParts(
  prompt: Readonly<Prompt>,
  latest: Output,
  source: StoredMediaSource,
): Promise<{ parts: Part[]; calls: ToolCall[] | undefined }> {
  const group = candidateOutputs(prompt, latest);
  const head = isMediaOutput(group[0]) ? undefined : group[0];
  const media = group.filter(isImageOutput);
  const calls = outputToolCalls(head);
  const parts: Part[] = [];
  if (head && calls) {
    parts.push(...toolCallsModelParts(head, calls, prompt.name, source.placeholder));
    for (const output of media) parts.push(await mediaPart(prompt, output, source));
    return { parts, calls };
  }
  const text = head ? outputText(head) : "";
  const signature = head?.output_type === "execute_result" && head.data === text ? storedThoughtSignatures(head.metadata).text : undefined;
  let at = 0;
  let signed = false;
  const pushText = (upTo: number) => {
    const piece = text.slice(at, upTo);
    at = upTo;
    if (piece === "") return;
    parts.push(signature && !signed ? { text: piece, thoughtSignature: signature } : { text: piece });
    signed = true;
  };
  for (const output of media) {
    pushText(Math.min(Math.max(textBefore(output) ?? text.length, at), text.length));
    parts.push(await mediaPart(prompt, output, source));
  }
  pushText(text.length);
  return { parts, calls: undefined };
}
