// Where the per-run time goes: a CPU profile (`node --cpu-prof`) of the
// overhead loop (non-streamed runs of a one-prompt file on the bench server,
// bench/ours-worker.mjs profile), its self time grouped by where the code
// lives, in microseconds per run, and this project's own functions that take most.
import { readdirSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { join } from "node:path";

/** Groups of code by the script URL (first match wins). */
const GROUPS = [
  ["@aiconfig-ts/core (the runtime)", (u) => u.includes("/packages/core/")],
  ["@aiconfig-ts/openai (the provider)", (u) => u.includes("/packages/openai/dist/")],
  ["openai SDK", (u) => /node_modules\/openai\//.test(u)],
  ["fetch (Node's undici)", (u) => u.includes("internal/deps/undici")],
  ["web streams (the SDK reads the body as one)", (u) => u.includes("internal/webstreams")],
  ["AbortSignal, EventTarget, events", (u) => /internal\/(abort_controller|event_target)|^node:events$/.test(u)],
  ["other Node internals (net, http parser, timers, url, ...)", (u) => u.startsWith("node:")],
  ["other packages", (u) => u.includes("node_modules")],
];

/**
 * Reads the one .cpuprofile in `dir` and aggregates it.
 * @param runs how many runs the profiled loop made
 */
export function aggregateProfile(dir, runs) {
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const groups = new Map();
  const own = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (!us) continue;
    const { url, functionName, lineNumber } = node.callFrame;
    let group;
    if (functionName === "(idle)" || functionName === "(program)" || functionName === "(root)")
      group = "idle, and the VM outside JavaScript";
    else if (functionName === "(garbage collector)") group = "garbage collection";
    else if (!url) group = "native functions (socket writes, JSON, ...)";
    else group = GROUPS.find(([, test]) => test(url))?.[0] ?? "other";
    groups.set(group, (groups.get(group) ?? 0) + us);
    total += us;
    if (url.includes("/packages/core/") || url.includes("/packages/openai/dist/")) {
      const where = url.replace(/^.*\/packages\//, "").replace(/^(\w+)\/dist\//, "$1/");
      const key = `${functionName || "(anonymous)"} (${where}:${lineNumber + 1})`;
      own.set(key, (own.get(key) ?? 0) + us);
    }
  }
  const perRun = (us) => Math.round((us / runs) * 10) / 10;
  return {
    runs,
    sampledUsPerRun: perRun(total),
    groups: [...groups].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, usPerRun: perRun(us) })),
    ownFunctions: [...own]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, us]) => ({ name, usPerRun: perRun(us) })),
  };
}

/**
 * What the runtime costs over the raw SDK call, by group: each group's µs per run in the profile of
 * `runtime.run` (`ours`) minus the same group's in the profile of the raw SDK call (`raw`), largest first.
 */
export function profileDifference(ours, raw) {
  const rawOf = new Map(raw.groups.map((g) => [g.name, g.usPerRun]));
  const names = new Set([...ours.groups.map((g) => g.name), ...raw.groups.map((g) => g.name)]);
  const round = (us) => Math.round(us * 10) / 10;
  return [...names]
    .map((name) => {
      const o = ours.groups.find((g) => g.name === name)?.usPerRun ?? 0;
      const r = rawOf.get(name) ?? 0;
      return { name, ours: o, raw: r, difference: round(o - r) };
    })
    .sort((a, b) => b.difference - a.difference);
}

/** A fresh folder for a profile (`name`: whose). */
export function profileDir(scratchDir, name = "ours") {
  const dir = join(scratchDir, `cpu-profile-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
