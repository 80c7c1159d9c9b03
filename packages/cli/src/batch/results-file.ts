/**
 * The results of `aiconfig batch --out FILE`: each row's result is appended to
 * a journal beside it (`FILE.journal.jsonl`) as soon as the row finishes,
 * written and fsynced (rows finishing together share one fsync), so a killed
 * batch loses no finished row. When the batch ends, FILE is written from the
 * journal in input order (JSON Lines or CSV by its extension), atomically (a
 * temporary file, fsync, rename), and the journal removed.
 *
 * `--resume` reads the journal (or, for a finished batch, FILE itself) and
 * skips the rows already done with the same key (the row's index and the
 * hash of its parameters, prompt, model and settings): a changed prompt is
 * run again, and so is a row that failed.
 *
 * @packageDocumentation
 */
import {
  createReadStream,
  existsSync,
  openSync,
  closeSync,
  fsyncSync,
  readSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
} from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import type { BatchRowResult, JSONObject } from "@aiconfig-ts/core";
import { UsageError } from "../usage-error.js";

/** One result as the results files hold it (JSON Lines: one per line). */
export interface ResultRecord {
  index: number;
  model: string;
  parameters: JSONObject;
  output: string;
  outputs: unknown[];
  usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number };
  duration_ms: number;
  error?: { name: string; message: string };
  /** Whether every `--expect` check passed (absent without checks). */
  pass?: boolean;
  expect?: unknown[];
  key: string;
}

/** What a finished results file holds (see {@link ResultsFile.finish}). */
export interface ResultsTally {
  /** Results (rows times models). */
  rows: number;
  /** Of those, rows that failed. */
  failed: number;
  /** Rows that had `--expect` checks and ran (a failed row counts as not checked). */
  checked: number;
  /** Of the checked rows, those whose checks all passed. */
  passed: number;
}

/** The record of a row's result. */
export function toRecord(result: BatchRowResult): ResultRecord {
  const record: ResultRecord = {
    index: result.index,
    model: result.model,
    parameters: result.parameters,
    output: result.output,
    outputs: result.outputs,
    duration_ms: result.durationMs,
    key: result.key,
  };
  if (result.usage) record.usage = result.usage;
  if (result.error) record.error = result.error;
  if (result.expect) {
    record.pass = result.expect.every((c) => c.pass);
    record.expect = [...result.expect];
  }
  return record;
}

/** The journal beside a results file. */
export function journalPath(out: string): string {
  return `${out}.journal.jsonl`;
}

const FIXED_CSV_COLUMNS = [
  "index",
  "model",
  "output",
  "outputs",
  "input_tokens",
  "output_tokens",
  "total_tokens",
  "duration_ms",
  "error",
  "pass",
  "expect",
  "key",
];

/** The CSV column of an input column (prefixed when it would clash with a result column). */
const inputColumn = (name: string) => (FIXED_CSV_COLUMNS.includes(name) || name.startsWith("input:") ? `input:${name}` : name);

function csvRow(record: ResultRecord, inputs: readonly string[]): unknown[] {
  return [
    record.index,
    ...inputs.map((name) => {
      const v = record.parameters[name];
      return v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
    }),
    record.model,
    record.output,
    JSON.stringify(record.outputs),
    record.usage?.inputTokens ?? "",
    record.usage?.outputTokens ?? "",
    record.usage?.totalTokens ?? "",
    record.duration_ms,
    record.error ? `${record.error.name}: ${record.error.message}` : "",
    record.pass === undefined ? "" : String(record.pass), // "true"/"false" (csv-stringify writes booleans as 1 and "")
    record.expect ? JSON.stringify(record.expect) : "",
    record.key,
  ];
}

/** Reads a finished CSV results file back into records (for `--resume` of a finished batch). */
async function* csvRecords(path: string): AsyncGenerator<ResultRecord> {
  const { parse } = await import("csv-parse");
  for await (const row of createReadStream(path).pipe(parse({ columns: true, bom: true }))) {
    const r = row as Record<string, string>;
    const parameters: JSONObject = {};
    for (const [name, value] of Object.entries(r)) {
      if (!FIXED_CSV_COLUMNS.includes(name)) parameters[name.startsWith("input:") ? name.slice(6) : name] = value;
    }
    const colon = r.error?.indexOf(": ") ?? -1;
    const tokens = (name: string) => (r[name] ? { [name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())]: Number(r[name]) } : {});
    const usage = r.total_tokens ? { ...tokens("input_tokens"), ...tokens("output_tokens"), ...tokens("total_tokens") } : undefined;
    yield {
      index: Number(r.index),
      model: r.model ?? "",
      parameters,
      output: r.output ?? "",
      outputs: r.outputs ? JSON.parse(r.outputs) : [],
      duration_ms: Number(r.duration_ms),
      ...(r.error
        ? { error: { name: colon > 0 ? r.error.slice(0, colon) : "Error", message: colon > 0 ? r.error.slice(colon + 2) : r.error } }
        : {}),
      key: r.key ?? "",
      ...(usage ? { usage } : {}),
      ...(r.pass === "true" || r.pass === "false" ? { pass: r.pass === "true" } : {}),
      ...(r.expect ? { expect: JSON.parse(r.expect) as unknown[] } : {}),
    };
  }
}

async function* jsonlRecords(path: string): AsyncGenerator<{ record: ResultRecord; offset: number; length: number }> {
  let offset = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const length = Buffer.byteLength(line) + 1;
    if (line.trim()) {
      try {
        yield { record: JSON.parse(line) as ResultRecord, offset, length };
      } catch {
        // A line cut short by a kill: the row was not done.
      }
    }
    offset += length;
  }
}

/** Cuts a journal back to its last complete line (a kill can leave half a line). */
function dropPartialLine(path: string): void {
  const size = statSync(path).size;
  if (size === 0) return;
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.alloc(Math.min(size, 1 << 16));
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      readSync(fd, chunk, 0, end - start, start);
      const at = chunk.subarray(0, end - start).lastIndexOf(0x0a);
      if (at >= 0) {
        if (start + at + 1 !== size) truncateSync(path, start + at + 1);
        return;
      }
      end = start;
    }
    truncateSync(path, 0);
  } finally {
    closeSync(fd);
  }
}

/** The results of a batch being written. */
export class ResultsFile {
  readonly out: string;
  readonly journal: string;
  readonly #done: Set<string>;
  #handle: FileHandle;
  #pending: string[] = [];
  #draining: Promise<void> | undefined;
  #failure: unknown;

  private constructor(out: string, handle: FileHandle, done: Set<string>) {
    this.out = out;
    this.journal = journalPath(out);
    this.#handle = handle;
    this.#done = done;
  }

  /**
   * Opens the results of `out`: a new journal, or, with `resume`, the journal
   * of a killed batch (or the finished file) with the rows it holds.
   * @throws {UsageError} when a journal exists and `resume` is not set (nothing is overwritten)
   */
  static async open(out: string, resume: boolean): Promise<ResultsFile> {
    const journal = journalPath(out);
    const done = new Set<string>();
    if (existsSync(journal) && !resume) {
      throw new UsageError(
        `${journal} holds the results of a batch that did not finish: add --resume to continue it, or delete it to start over`,
      );
    }
    if (resume) {
      if (existsSync(journal)) dropPartialLine(journal);
      else if (existsSync(out)) {
        // A finished batch: its rows become the journal again.
        const handle = await open(journal, "w");
        const records = out.toLowerCase().endsWith(".csv") ? csvRecords(out) : mapRecords(jsonlRecords(out));
        for await (const record of records) await handle.write(`${JSON.stringify(record)}\n`);
        await handle.sync();
        await handle.close();
      }
      if (existsSync(journal))
        for await (const { record } of jsonlRecords(journal)) if (!record.error) done.add(doneKey(record.index, record.model, record.key));
    }
    return new ResultsFile(out, await open(journal, "a"), done);
  }

  /** How many rows the journal holds as done (when resuming). */
  get doneCount(): number {
    return this.#done.size;
  }

  /** Whether a row is done with this key. */
  isDone(index: number, model: string, key: string): boolean {
    return this.#done.has(doneKey(index, model, key));
  }

  /** Lines waiting to be written. */
  get backlog(): number {
    return this.#pending.length;
  }

  /**
   * Appends a row's result; resolves once it is written and fsynced (with the
   * rows that finished meanwhile).
   * @throws the file system's error of an earlier or this write
   */
  append(result: BatchRowResult): Promise<void> {
    return this.appendRecord(toRecord(result));
  }

  /** Appends a result record (e.g. one a queue worker made); see {@link ResultsFile.append}. A success counts as done. */
  appendRecord(record: ResultRecord): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (!record.error) this.#done.add(doneKey(record.index, record.model, record.key));
    this.#pending.push(`${JSON.stringify(record)}\n`);
    this.#draining ??= this.#drain();
    return this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length) {
        const text = this.#pending.join("");
        this.#pending = [];
        await this.#handle.write(text);
        await this.#handle.datasync();
      }
    } catch (error) {
      this.#failure = error;
      throw error;
    } finally {
      this.#draining = undefined;
    }
  }

  /** Waits for every appended result to be written. */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
    if (this.#failure) throw this.#failure;
  }

  /** Writes what is appended and closes the journal (it stays, for `--resume`). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.#handle.close();
    }
  }

  /**
   * Writes `out` from the journal in input order (rows by index, each row's
   * models in `models` order; a row run again keeps its last result),
   * atomically, and removes the journal.
   * @returns what the results file holds: rows, failed rows, rows with checks, rows whose checks all passed
   */
  async finish(models: readonly string[]): Promise<ResultsTally> {
    await this.close();
    const modelAt = new Map(models.map((m, i) => [m, i]));
    // Where each result's line is in the journal, by its place in the input (flat typed arrays, no records kept).
    let offsets = new Float64Array(1024).fill(-1);
    let lengths = new Uint32Array(1024);
    // Each result's outcome: 1 passed its checks, 2 did not, 3 failed, 0 no checks.
    let outcomes = new Uint8Array(1024);
    let last = -1;
    const inputs = new Set<string>();
    for await (const { record, offset, length } of jsonlRecords(this.journal)) {
      const m = modelAt.get(record.model);
      if (m === undefined) continue;
      const ordinal = record.index * models.length + m;
      while (ordinal >= offsets.length) {
        const grown = new Float64Array(offsets.length * 2).fill(-1);
        grown.set(offsets);
        offsets = grown;
        const grownLengths = new Uint32Array(lengths.length * 2);
        grownLengths.set(lengths);
        lengths = grownLengths;
        const grownOutcomes = new Uint8Array(outcomes.length * 2);
        grownOutcomes.set(outcomes);
        outcomes = grownOutcomes;
      }
      offsets[ordinal] = offset;
      lengths[ordinal] = length;
      outcomes[ordinal] = record.error ? 3 : record.pass === true ? 1 : record.pass === false ? 2 : 0;
      last = Math.max(last, ordinal);
      for (const name of Object.keys(record.parameters)) inputs.add(name);
    }
    const csv = this.out.toLowerCase().endsWith(".csv");
    const inputNames = [...inputs];
    const stringify = csv ? (await import("csv-stringify/sync")).stringify : undefined;
    const temp = join(dirname(this.out), `.${basename(this.out)}.${process.pid}.tmp`);
    const target = await open(temp, "w");
    const source = openSync(this.journal, "r");
    const tally: ResultsTally = { rows: 0, failed: 0, checked: 0, passed: 0 };
    try {
      let chunk: string[] = [];
      const flushChunk = async () => {
        if (chunk.length) await target.write(chunk.join(""));
        chunk = [];
      };
      if (stringify) chunk.push(stringify([["index", ...inputNames.map(inputColumn), ...FIXED_CSV_COLUMNS.slice(1)]]));
      let buffer = Buffer.alloc(1 << 16);
      for (let ordinal = 0; ordinal <= last; ordinal++) {
        const offset = offsets[ordinal]!;
        if (offset < 0) continue;
        const length = lengths[ordinal]!;
        if (buffer.length < length) buffer = Buffer.alloc(length * 2);
        readSync(source, buffer, 0, length, offset);
        const line = buffer.toString("utf8", 0, length);
        chunk.push(
          stringify ? stringify([csvRow(JSON.parse(line) as ResultRecord, inputNames)]) : line.endsWith("\n") ? line : `${line}\n`,
        );
        const outcome = outcomes[ordinal]!;
        tally.rows++;
        if (outcome === 3) tally.failed++;
        if (outcome === 1 || outcome === 2) tally.checked++;
        if (outcome === 1) tally.passed++;
        if (chunk.length >= 512) await flushChunk();
      }
      await flushChunk();
      await target.sync();
    } finally {
      await target.close();
      closeSync(source);
    }
    renameSync(temp, this.out);
    try {
      const dir = openSync(dirname(this.out), "r");
      fsyncSync(dir);
      closeSync(dir);
    } catch {
      // Some file systems cannot fsync a folder; the rename is done either way.
    }
    unlinkSync(this.journal);
    return tally;
  }
}

async function* mapRecords(items: AsyncIterable<{ record: ResultRecord }>): AsyncGenerator<ResultRecord> {
  for await (const { record } of items) yield record;
}

function doneKey(index: number, model: string, key: string): string {
  return `${index}\u0000${model}\u0000${key}`;
}
