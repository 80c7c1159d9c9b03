/**
 * Reads what the provider needs from a GGUF file's header (not its weights):
 * whether it has a chat template, its training context size, its size.
 *
 * @packageDocumentation
 */
import { stat } from "node:fs/promises";
import { importLlamaCpp } from "./engine-start.js";

/** Facts read from a GGUF file's header. */
export interface GgufFacts {
  /** The Jinja chat template (`tokenizer.chat_template`), when the model has one: then it is a chat model. */
  chatTemplate: string | undefined;
  /** Context length the model was trained with (`<arch>.context_length`), when given. */
  trainContextSize: number | undefined;
  /** Size of the file, in bytes. */
  bytes: number;
}

const cache = new Map<string, { stamp: string; facts: Promise<GgufFacts> }>();

/**
 * Reads a GGUF file's header with node-llama-cpp's `readGgufFileInfo`
 * (no tensors are read), cached by path, size and modification time.
 * @param path absolute path of the GGUF file
 * @throws when the file is missing or is not GGUF.
 */
export async function readGgufFacts(path: string): Promise<GgufFacts> {
  const info = await stat(path);
  const stamp = `${info.size}:${info.mtimeMs}`;
  const hit = cache.get(path);
  if (hit && hit.stamp === stamp) return hit.facts;
  const facts = (async (): Promise<GgufFacts> => {
    const { readGgufFileInfo } = await importLlamaCpp();
    const gguf = await readGgufFileInfo(path, { readTensorInfo: false });
    const template = gguf.metadata?.tokenizer?.chat_template;
    const contextLength = (gguf.architectureMetadata as { context_length?: unknown } | undefined)?.context_length;
    return {
      chatTemplate: typeof template === "string" && template.trim() !== "" ? template : undefined,
      trainContextSize: typeof contextLength === "number" && contextLength > 0 ? contextLength : undefined,
      bytes: info.size,
    };
  })();
  cache.set(path, { stamp, facts });
  facts.catch(() => cache.delete(path));
  return facts;
}
