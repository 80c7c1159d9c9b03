/**
 * Parameters given on the command line: `-p KEY=VALUE` and `--params-file F.json`.
 */
import { readFileSync } from "node:fs";
import type { JSONObject } from "@aiconfig-ts/core";
import { UsageError } from "./usage-error.js";

/**
 * Parses `KEY=VALUE` pairs (the value is kept as a string; use
 * `--params-file` for JSON values) over the parameters of a JSON file.
 * @throws {UsageError} for a pair without `=`, a missing file, or a file that is not a JSON object (one that
 * does not parse is located as `FILE:LINE:COL`)
 */
export function readParameters(pairs: readonly string[], paramsFile?: string): JSONObject {
  let params: JSONObject = {};
  if (paramsFile) {
    let text: string;
    try {
      text = readFileSync(paramsFile, "utf8");
    } catch (error) {
      throw new UsageError(
        `--params-file ${paramsFile}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--params-file ${notJSONMessage(paramsFile, text, (error as Error).message)}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(`--params-file ${paramsFile}: must hold a JSON object of parameter names to values`);
    }
    params = parsed as JSONObject;
  }
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`-p ${pair}: write parameters as KEY=VALUE`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return params;
}

/** `FILE:LINE:COL: not valid JSON (MESSAGE): ...`, the place taken from `JSON.parse`'s "at position N" (UTF-16 offset), when it gives one. */
function notJSONMessage(file: string, text: string, message: string): string {
  const position = /at position (\d+)/.exec(message);
  let where = file;
  if (position) {
    const before = text.slice(0, Number(position[1]));
    const line = before.split("\n").length;
    where = `${file}:${line}:${before.length - before.lastIndexOf("\n")}`;
  }
  return `${where}: not valid JSON (${message}): write one JSON object of parameter names to values, e.g. {"hero": "Tom"}`;
}
