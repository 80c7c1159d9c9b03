import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
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

test("BENCHMARKS.md reports the goals of issue 13's batch runs and issue 10's hosted notebook, and issue 14's site when it has a benchmark", () => {
  const rows = resultRows();
  const withGoal = (issue: number, start: string) =>
    rows.filter((cells) => cells[4]?.startsWith(start) && cells[4].endsWith(`(issue ${issue})`) && cells[5] !== "not measured");
  assert.equal(withGoal(13, "within 5% of the 20 s the limit allows, no row failed").length, 2, "one process and two queue workers");
  assert.equal(withGoal(13, "flat").length, 1, "memory over 100,000 rows");
  assert.match(rows.find((cells) => cells[4]?.startsWith("flat"))?.[2] ?? "", /MB at 100,000 rows/, "the peak RSS at 100,000 rows");
  assert.equal(withGoal(10, "errors: none").length, 2, "one process, and two processes on Redis");
  assert.equal(withGoal(10, "< 200 KB").length, 2, "memory per idle session in both setups");
  for (const cells of withGoal(10, "errors: none")) assert.match(cells[2] ?? "", /p50|\d+ \/ \d+ ms/, "time to first token p50 / p99");
  if (existsSync(join(repoRoot, "bench", "site.mjs")))
    assert.ok(
      rows.some((cells) => /\(issue 14\)$/.test(cells[4] ?? "") && cells[5] !== "not measured"),
      "bench/site.mjs exists: its rows are in BENCHMARKS.md",
    );
});
