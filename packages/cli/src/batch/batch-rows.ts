/**
 * The rows of `aiconfig batch`: read from `--input` as they are needed (JSON
 * Lines and CSV are streamed, so memory stays flat however long the file),
 * crossed with the cartesian product of `--grid KEY=V1,V2...`.
 *
 * Formats by extension: `.jsonl`/`.ndjson` (one JSON object per line; blank
 * lines skipped), `.csv`/`.tsv` (a header line of column names; quoted fields
 * may hold commas, quotes and newlines; parsed by `csv-parse`), `.json` (an
 * array of objects, read whole: use JSON Lines or CSV for large inputs).
 *
 * @packageDocumentation
 */
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { AIConfigError, type JSONObject } from "@aiconfig-ts/core";
import { UsageError } from "../usage-error.js";

/** The input formats, by extension. */
export type RowsFormat = "jsonl" | "csv" | "tsv" | "json";

/**
 * The format of an input file, by extension.
 * @throws {UsageError} for another extension
 */
export function rowsFormat(path: string): RowsFormat {
  const ext = path.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === "jsonl" || ext === "ndjson") return "jsonl";
  if (ext === "csv" || ext === "tsv" || ext === "json") return ext;
  throw new UsageError(`--input ${path}: use a .jsonl, .csv, .tsv or .json file of rows`);
}

const isObject = (value: unknown): value is JSONObject => typeof value === "object" && value !== null && !Array.isArray(value);

async function* jsonLines(path: string): AsyncGenerator<JSONObject> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new AIConfigError(
        `${path}:${n}: not JSON (${(error as Error).message}); each line must be one JSON object of parameter values`,
      );
    }
    if (!isObject(row)) throw new AIConfigError(`${path}:${n}: each line must be a JSON object of parameter values`);
    yield row;
  }
}

async function* csvRows(path: string, delimiter: string): AsyncGenerator<JSONObject> {
  const { parse } = await import("csv-parse");
  const parser = createReadStream(path).pipe(parse({ columns: true, bom: true, skip_empty_lines: true, delimiter, trim: false }));
  try {
    for await (const record of parser) yield record as JSONObject;
  } catch (error) {
    const e = error as { lines?: number; message: string };
    throw new AIConfigError(`${path}${e.lines ? `:${e.lines}` : ""}: ${e.message.replace(/^Invalid Record Length: /, "")}`);
  }
}

function* jsonArray(path: string): Generator<JSONObject> {
  let rows: unknown;
  try {
    rows = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new AIConfigError(`${path}: not JSON (${(error as Error).message}); give an array of objects of parameter values`);
  }
  if (!Array.isArray(rows)) throw new AIConfigError(`${path}: give an array of objects of parameter values (or use .jsonl)`);
  for (let i = 0; i < rows.length; i++) {
    if (!isObject(rows[i])) throw new AIConfigError(`${path}: item ${i} is not an object of parameter values`);
    yield rows[i] as JSONObject;
  }
}

/**
 * The rows of an input file, read as they are needed.
 * @throws {AIConfigError} while iterating, naming the file and line, for a row that cannot be read; the file system's error for a missing file
 */
export function readRows(path: string): AsyncIterable<JSONObject> | Iterable<JSONObject> {
  const format = rowsFormat(path);
  if (format === "jsonl") return jsonLines(path);
  if (format === "csv" || format === "tsv") return csvRows(path, format === "tsv" ? "\t" : ",");
  return jsonArray(path);
}

/** One `--grid` axis: a parameter and its values. */
export interface GridAxis {
  readonly name: string;
  readonly values: readonly string[];
}

/**
 * Reads `--grid KEY=V1,V2,...` (values are text; `\,` is a comma inside a value).
 * @throws {UsageError} for a spec without `=` or without values
 */
export function parseGridAxis(spec: string): GridAxis {
  const eq = spec.indexOf("=");
  if (eq <= 0) throw new UsageError(`--grid ${spec}: write KEY=VALUE1,VALUE2,...`);
  const values = spec
    .slice(eq + 1)
    .split(/(?<!\\),/)
    .map((v) => v.replace(/\\,/g, ","));
  if (values.length === 1 && values[0] === "") throw new UsageError(`--grid ${spec}: give at least one value after =`);
  return { name: spec.slice(0, eq), values };
}

/** The number of combinations of a grid (1 when it has no axes). */
export function gridSize(axes: readonly GridAxis[]): number {
  return axes.reduce((n, axis) => n * axis.values.length, 1);
}

/** The cartesian product of the axes, the last axis varying fastest, each combination made when needed. */
export function* gridRows(axes: readonly GridAxis[]): Generator<JSONObject> {
  const size = gridSize(axes);
  for (let n = 0; n < size; n++) {
    const row: JSONObject = {};
    let rest = n;
    for (let a = axes.length - 1; a >= 0; a--) {
      const axis = axes[a]!;
      row[axis.name] = axis.values[rest % axis.values.length]!;
      rest = Math.floor(rest / axis.values.length);
    }
    // Keep the axes' order in the row.
    yield Object.fromEntries(axes.map((axis) => [axis.name, row[axis.name]!]));
  }
}

/** Each input row with each grid combination (grid values win over the row's). */
export async function* crossRows(
  rows: AsyncIterable<JSONObject> | Iterable<JSONObject>,
  axes: readonly GridAxis[],
): AsyncGenerator<JSONObject> {
  for await (const row of rows) for (const combination of gridRows(axes)) yield { ...row, ...combination };
}

/** Counts the rows of an input (a streaming pass, for the progress bar's total). */
export async function countRows(path: string): Promise<number> {
  let n = 0;
  for await (const _ of readRows(path)) n++;
  return n;
}
