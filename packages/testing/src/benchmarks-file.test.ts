import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "./shared-paths.js";

/** The rows of BENCHMARKS.md's results table, as cells (written by `npm run bench`, bench/lib/report.mjs). */
function resultRows(): string[][] {
  const text = readFileSync(join(repoRoot, "BENCHMARKS.md"), "utf8");
  const section = text.split(/^## Results$/m)[1]?.split(/^## /m)[0] ?? "";
  const lines = section.split("\n").filter((l) => l.startsWith("|"));
  assert.ok(lines.length > 2, "BENCHMARKS.md has a results table under '## Results'");
  const header = lines[0]!.split("|").map((c) => c.trim());
  assert.deepEqual(header.slice(5, 7), ["goal", "result"], "the table's last columns are the goal and the result");
  return lines.slice(2).map((l) =>
    l
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim()),
  );
}

test("every row of BENCHMARKS.md names its goal and whether it is met", () => {
  const rows = resultRows();
  for (const cells of rows) {
    const [n, , , , goal, result] = cells;
    assert.match(goal ?? "", /\(issues? \d+[^()]*\)$/, `row ${n}: the goal names the issue that set it`);
    assert.ok(
      ["met", "**missed**", "no goal", "not measured"].includes(result ?? ""),
      `row ${n}: the result is met or missed, not "${result}"`,
    );
    if (result === "no goal") assert.match(goal!, /^none set/, `row ${n}: a row without a verdict says no goal was set`);
  }
});

test("BENCHMARKS.md reports every goal of issue 12's table, none replaced", () => {
  const goals = resultRows().map((cells) => cells[4]);
  for (const goal of ["≤ 1.05x", "≤ 1.3x", "≥ 95%", "< 15 MB", "< 40 MB", "< 20 ms", "< 200 ms", "≤ the original's load", "≤ 1 s"]) {
    assert.ok(
      goals.some((g) => g?.startsWith(goal) || g?.includes(` ${goal}`)),
      `a row has the goal "${goal} (issue 12)"`,
    );
  }
});
