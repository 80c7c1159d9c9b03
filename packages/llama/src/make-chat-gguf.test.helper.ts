/**
 * Test support: writes a copy of a real GGUF file with one more metadata
 * string (e.g. `tokenizer.chat_template`), so that the chat path of the
 * provider runs on real weights. Follows the GGUF v3 layout (ggml's
 * `docs/gguf.md`): header (magic, version, tensor count, metadata count),
 * metadata, tensor infos, padding to `general.alignment`, tensor data; tensor
 * offsets are relative to the data section, so they stay valid.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { readGgufFileInfo } from "node-llama-cpp";

const HEADER_BYTES = 24;
const GGUF_TYPE_STRING = 8;

function ggufString(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(bytes.length));
  return Buffer.concat([length, bytes]);
}

/**
 * Copies `source` to `dest` with the string metadata `key` = `value` added.
 * @throws when `source` is not GGUF.
 */
export async function writeGgufWithString(source: string, dest: string, key: string, value: string): Promise<void> {
  const info = await readGgufFileInfo(source);
  const file = readFileSync(source);
  if (file.toString("latin1", 0, 4) !== "GGUF") throw new Error(`${source} is not a GGUF file`);
  const alignmentValue = (info.metadata.general as { alignment?: number }).alignment;
  const alignment = typeof alignmentValue === "number" ? alignmentValue : 32;
  // node-llama-cpp's offsets: `metadataSize` ends the metadata (from the file's
  // start), `tensorInfoSize` is the tensor infos' length, `infoEndOffset` is
  // where the (aligned) tensor data begins.
  const metadataEnd = info.metadataSize;
  const infoEnd = metadataEnd + (info.tensorInfoSize ?? 0);
  const dataStart = info.infoEndOffset ?? Math.ceil(infoEnd / alignment) * alignment;
  const header = Buffer.from(file.subarray(0, HEADER_BYTES));
  header.writeBigUInt64LE(header.readBigUInt64LE(16) + 1n, 16);
  const type = Buffer.alloc(4);
  type.writeUInt32LE(GGUF_TYPE_STRING);
  const entry = Buffer.concat([ggufString(key), type, ggufString(value)]);
  const head = Buffer.concat([header, file.subarray(HEADER_BYTES, metadataEnd), entry, file.subarray(metadataEnd, infoEnd)]);
  const padding = Buffer.alloc((alignment - (head.length % alignment)) % alignment);
  writeFileSync(dest, Buffer.concat([head, padding, file.subarray(dataStart)]));
  const written = await readGgufFileInfo(dest);
  const flat = written.metadata as unknown as Record<string, Record<string, unknown>>;
  const [group, name] = [key.slice(0, key.lastIndexOf(".")), key.slice(key.lastIndexOf(".") + 1)];
  const readBack = group.split(".").reduce<any>((o, k) => o?.[k], flat)?.[name];
  if (readBack !== value || written.tensorCount !== info.tensorCount) throw new Error(`writing ${key} into ${dest} failed`);
}

/** A ChatML template (the format of many chat models), in Jinja as GGUF files store it. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
