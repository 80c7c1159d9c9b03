/**
 * espeak-ng's voice data inside its WebAssembly, and a copy of the
 * WebAssembly that keeps only the dictionaries some voices need (Node only:
 * what `aiconfig export --site` ships to a page).
 *
 * The npm package `espeak-ng` is espeak-ng's program built with Emscripten's
 * `--embed-file`: its data folder (`espeak-ng-data`, 18 MB, 113 language
 * dictionaries) is part of the module's memory image, in the data section,
 * and a table in that image lists each file (name address, length, content
 * address; the exported global `__emscripten_embedded_file_data` points to
 * it; Emscripten's `_emscripten_fs_load_embedded_files` walks it until a
 * zero name). A trimmed copy drops the bytes of the dictionaries no voice
 * needs from the data section and their rows from the table, so espeak-ng
 * never sees those files; the code, the phoneme data, every voice and
 * language definition and the kept dictionaries stay byte for byte, so a kept
 * voice speaks exactly as it does from the package.
 *
 * Source: the WebAssembly binary format (core specification 1.0, §5.5: sections,
 * the data section's active segments `0x00 (i32.const offset) end bytes`),
 * Emscripten's `library_fs.js` (`__emscripten_fs_load_embedded_files`).
 *
 * @packageDocumentation
 */
import { readFile } from "node:fs/promises";
import { EspeakError } from "./errors.js";
import { espeakWasmPath, loadEspeak } from "./espeak-engine.js";
import type { EspeakSettings } from "./espeak-settings.js";
import { dictionaryOf, synthesizeWith } from "./espeak-wasm.js";

/** One file of the data embedded in the module. */
export interface EmbeddedFile {
  /** Its path in the module's file system, e.g. `/usr/local/share/espeak-ng-data/en_dict`. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** Address of its content in the module's memory. */
  address: number;
  /** Address of its row (12 bytes) in the table. */
  row: number;
}

/** An active data segment of the module, and where its bytes are in the file. */
interface Segment {
  offset: number;
  start: number;
  length: number;
}

/** A section of the module: id, and where its content is in the file. */
interface Section {
  id: number;
  header: number;
  start: number;
  size: number;
}

const DATA_SECTION = 11;
const DATA_COUNT_SECTION = 12;
const START_SECTION = 8;
const I32_CONST = 0x41;
const END = 0x0b;

function fail(detail: string): never {
  throw new EspeakError(
    `espeak-ng's WebAssembly (${espeakWasmPath()}) is not laid out as the site expects: ${detail}; reinstall espeak-ng 1.0.x`,
  );
}

/**
 * Reads a LEB128 number at `at` (unsigned, or signed 32-bit for an `i32.const` operand);
 * returns it and the position after it.
 */
function readLeb(bytes: Uint8Array, at: number, signed = false): [number, number] {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = bytes[at++] ?? fail("a number runs past the end of the file");
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  if (signed) value = shift < 32 && byte & 0x40 ? value - 2 ** shift : value | 0;
  return [value, at];
}

const readU32 = (bytes: Uint8Array, at: number) => readLeb(bytes, at);
const readS32 = (bytes: Uint8Array, at: number) => readLeb(bytes, at, true);

function writeU32(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function writeS32(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(byte & 0x40)) || (value === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function sections(bytes: Uint8Array): Section[] {
  const found: Section[] = [];
  let at = 8;
  while (at < bytes.length) {
    const header = at;
    const id = bytes[at++]!;
    const [size, start] = readU32(bytes, at);
    found.push({ id, header, start, size });
    at = start + size;
  }
  if (at !== bytes.length) fail("its sections run past the end of the file");
  return found;
}

function dataSegments(bytes: Uint8Array, data: Section): Segment[] {
  let [count, at] = readU32(bytes, data.start);
  const segments: Segment[] = [];
  while (count-- > 0) {
    let flags: number;
    [flags, at] = readU32(bytes, at);
    if (flags !== 0 || bytes[at] !== I32_CONST) fail("a data segment is passive or not at a constant address");
    let offset: number;
    [offset, at] = readS32(bytes, at + 1);
    if (bytes[at++] !== END) fail("a data segment's address is not a lone i32.const");
    let length: number;
    [length, at] = readU32(bytes, at);
    segments.push({ offset: offset >>> 0, start: at, length });
    at += length;
  }
  if (at !== data.start + data.size) fail("the data section's size does not match its segments");
  return segments;
}

/** The module's memory image as its active data segments lay it out (fresh memory is zeros). */
function memoryImage(bytes: Uint8Array, segments: readonly Segment[]): Uint8Array {
  const size = Math.max(0, ...segments.map((s) => s.offset + s.length));
  const memory = new Uint8Array(size);
  for (const s of segments) memory.set(bytes.subarray(s.start, s.start + s.length), s.offset);
  return memory;
}

/**
 * The address of the table of embedded files: the initial value of the global
 * the module exports as `__emscripten_embedded_file_data`, read from an
 * instance whose imports do nothing (the module has no start function, checked
 * by the caller: instantiating runs none of its code).
 */
async function tableAddress(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const module = await WebAssembly.compile(bytes);
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    if (entry.kind !== "function") fail(`it imports a ${entry.kind} (${entry.module}.${entry.name})`);
    (imports[entry.module] ??= {})[entry.name] = () => 0;
  }
  const instance = await WebAssembly.instantiate(module, imports);
  const table = instance.exports["__emscripten_embedded_file_data"];
  if (!(table instanceof WebAssembly.Global)) fail("it exports no __emscripten_embedded_file_data");
  return Number(table.value);
}

function embeddedFiles(memory: Uint8Array, table: number): EmbeddedFile[] {
  const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
  const text = new TextDecoder();
  const files: EmbeddedFile[] = [];
  for (let row = table; row + 12 <= memory.length && view.getUint32(row, true) !== 0; row += 12) {
    const nameAt = view.getUint32(row, true);
    const end = memory.indexOf(0, nameAt);
    if (end < 0) fail("a file name in its table has no end");
    const size = view.getUint32(row + 4, true);
    const address = view.getUint32(row + 8, true);
    if (address + size > memory.length) fail("a file in its table lies outside its data");
    files.push({ name: text.decode(memory.subarray(nameAt, end)), size, address, row });
  }
  if (files.length === 0) fail("its table of embedded files is empty");
  return files;
}

/** The package's WebAssembly, its data segments, memory image and embedded files: read once per process. */
let read:
  | Promise<{
      bytes: Uint8Array<ArrayBuffer>;
      sections: Section[];
      segments: Segment[];
      memory: Uint8Array;
      table: number;
      files: EmbeddedFile[];
    }>
  | undefined;
function readPackage() {
  read ??= (async () => {
    const bytes = new Uint8Array(await readFile(espeakWasmPath()));
    const all = sections(bytes);
    const data = all.filter((s) => s.id === DATA_SECTION);
    if (data.length !== 1) fail("it has no single data section");
    if (all.some((s) => s.id === DATA_COUNT_SECTION)) fail("it has a data count section (its code may address segments)");
    if (all.some((s) => s.id === START_SECTION)) fail("it has a start function");
    const segments = dataSegments(bytes, data[0]!);
    const memory = memoryImage(bytes, segments);
    const table = await tableAddress(bytes);
    return { bytes, sections: all, segments, memory, table, files: embeddedFiles(memory, table) };
  })();
  read.catch(() => {
    read = undefined;
  });
  return read;
}

/**
 * The files embedded in the package's WebAssembly (`espeak-ng/dist/espeak-ng.wasm`).
 * @returns every file, in the table's order (paths under `/usr/local/share/espeak-ng-data/`)
 * @throws {EspeakError} when the module is not laid out as espeak-ng 1.0.x's is
 */
export async function espeakEmbeddedFiles(): Promise<EmbeddedFile[]> {
  return (await readPackage()).files;
}

/**
 * The dictionaries espeak-ng opens to speak with some voices, found by
 * speaking a word with each (the package's own WebAssembly, in this process)
 * and noting the files it opens.
 * @param voices espeak-ng voice names, e.g. `["en-us", "fr+f3"]`
 * @returns dictionary names (`en`, `fr`, ...), sorted
 * @throws {EspeakError} when espeak-ng cannot speak with a voice (an unknown voice)
 */
export async function dictionariesForVoices(voices: readonly string[]): Promise<string[]> {
  const compiled = await loadEspeak();
  const dictionaries = new Set<string>();
  for (const voice of new Set(voices)) {
    const opened = new Set<string>();
    const settings: EspeakSettings = { voice, speed: 175, pitch: 50, amplitude: 100, gap: 0, ssml: false };
    await synthesizeWith(compiled, "a", settings, { opened });
    for (const name of opened) {
      const dictionary = dictionaryOf(name);
      if (dictionary) dictionaries.add(dictionary);
    }
  }
  return [...dictionaries].sort();
}

/** What {@link trimmedEspeakWasm} made. */
export interface TrimmedEspeak {
  /** The WebAssembly, with only the kept dictionaries. */
  wasm: Uint8Array;
  /** The dictionaries it holds (`en`, ...), sorted. */
  dictionaries: string[];
}

/**
 * A copy of the package's WebAssembly holding only some dictionaries: the
 * other `*_dict` files' bytes are left out of its data section and their rows
 * out of its table of embedded files (so espeak-ng finds no such file). Code,
 * phoneme data, voice and language definitions and the kept dictionaries are
 * unchanged: a voice whose dictionary is kept speaks byte for byte as from the
 * package. For the `en` dictionary alone it is 1.2 MB instead of 18.5 MB.
 * @param dictionaries dictionary names to keep (`en`, `fr`, ...; see {@link dictionariesForVoices})
 * @throws {EspeakError} when a dictionary is not in the package, or the module is not laid out as espeak-ng 1.0.x's is
 */
export async function trimmedEspeakWasm(dictionaries: readonly string[]): Promise<TrimmedEspeak> {
  const { bytes, sections: all, segments, memory, table, files } = await readPackage();
  const keep = new Set(dictionaries);
  const known = new Set(files.map((f) => dictionaryOf(f.name)).filter((d) => d !== undefined));
  for (const d of keep)
    if (!known.has(d)) throw new EspeakError(`espeak-ng has no dictionary "${d}" (it has ${[...known].sort().join(", ")})`);
  const kept = files.filter((f) => dictionaryOf(f.name) === undefined || keep.has(dictionaryOf(f.name)!));
  const dropped = files.filter((f) => !kept.includes(f));

  // The new memory image: the table holds the kept rows, then a zero row; dropped contents are gone.
  const image = memory.slice();
  const tableEnd = table + 12 * (files.length + 1);
  image.fill(0, table, tableEnd);
  for (const [i, f] of kept.entries()) image.set(memory.subarray(f.row, f.row + 12), table + 12 * i);
  const holes = dropped.map((f) => [f.address, f.address + f.size] as const).sort((a, b) => a[0] - b[0]);

  // Each segment, less the holes, becomes one or more segments.
  const pieces: [number, number][] = [];
  for (const s of segments) {
    let from = s.offset;
    const end = s.offset + s.length;
    for (const [a, b] of holes) {
      if (b <= from || a >= end) continue;
      if (a > from) pieces.push([from, a]);
      from = Math.max(from, b);
    }
    if (from < end) pieces.push([from, end]);
  }
  const data: number[][] = [writeU32(pieces.length)];
  let dataSize = data[0]!.length;
  const chunks: Uint8Array[] = [];
  for (const [from, to] of pieces) {
    const head = Uint8Array.from([0, I32_CONST, ...writeS32(from | 0), END, ...writeU32(to - from)]);
    chunks.push(head, image.subarray(from, to));
    dataSize += head.length + (to - from);
  }
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const s of all) {
    if (s.id !== DATA_SECTION) {
      parts.push(bytes.subarray(s.header, s.start + s.size));
      continue;
    }
    parts.push(Uint8Array.from([DATA_SECTION, ...writeU32(dataSize), ...data[0]!]), ...chunks);
  }
  const wasm = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    wasm.set(p, at);
    at += p.length;
  }
  return { wasm, dictionaries: [...keep].sort() };
}
