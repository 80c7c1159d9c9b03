// Turns the results of scripts/bench.mjs into rows, each against its goal
// (issue 12's table; the rows of issue 3 that met theirs, to show they still
// do), and the Markdown of BENCHMARKS.md. Nothing here is measured: it formats
// what the run measured.

/** The goals, as issue 12 (and, for rows it does not cover, issue 3) set them. */
export const GOALS = {
  overheadRatio: { max: 1.05, text: "≤ 1.05x (issue 12)" },
  cliHelpRatio: { max: 1.3, text: "≤ 1.3x (issue 12)" },
  llamaSpeed: { min: 0.95, text: "≥ 95% (issue 12)" },
  installCli: { maxBytes: 15e6, text: "< 15 MB (issue 12)" },
  installCliOpenai: { maxBytes: 40e6, text: "< 40 MB (issue 12)" },
  resolve10k: { maxMs: 20, text: "< 20 ms (issue 12)" },
  resolve100k: { maxMs: 200, maxExponent: 1.2, text: "linear (k ≤ 1.2) and < 200 ms (issue 12)" },
  loadValidate: { text: "≤ the original's load without validation (issue 12)" },
  yaml: { maxMs: 1000, text: "≤ 1 s (issue 12)" },
  coreStart: { max: 1.5, text: "≤ 1.5x (issue 3)" },
  save: { text: "no slower than 1.1.15, × ±10% (issue 3)" },
  none: { text: "none set (issues 3 and 12 ask only that it is reported)" },
};

/** Issue 12's "now" figures (measured before this round, on this kind of machine). */
export const BEFORE = {
  overhead:
    "1.09-1.24x (median ~1.13x); 1.08-1.13x in four full runs at b77b4ee (three contenders in one rotation, ours always right after a call that built a new client)",
  cliHelp: "1.91x; 1.28x (CPU 1.30x) with the ES module start-up bundle at 390a0a5",
  llama: "90% (1.11x wall)",
  installCli: "23 packages, 30.1 MB; 25 packages, 19.2 MB at 390a0a5 (core's libraries installed, not bundled)",
  resolve10k: "60 ms",
  resolve100k: "292 ms each, k = 1.55",
  loadValidate: "1.3x the original's load",
  yaml: "4-6 s",
};

const ms = (x) =>
  x === undefined || Number.isNaN(x)
    ? "—"
    : x >= 1000
      ? `${(x / 1000).toFixed(2)} s`
      : x >= 100
        ? `${x.toFixed(0)} ms`
        : x >= 10
          ? `${x.toFixed(1)} ms`
          : `${x.toFixed(2)} ms`;
const signedMs = (x) => (x < 0 ? `−${ms(-x)}` : `+${ms(x)}`);
const ratio = (x) => (x === undefined || Number.isNaN(x) ? "—" : `${x.toFixed(2)}x`);
const pct = (x) => `${(x * 100).toFixed(0)}%`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/** "median (min–max over N processes)" for a spread. */
function med(s, fmt, unit = "processes") {
  if (!s) return "not measured";
  return s.n > 1 ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)} over ${s.n} ${unit})` : `${fmt(s.median)} (1 ${unit.replace(/es$/, "")})`;
}

const failed = (r) => (!r ? "not run" : r.timedOut ? "timed out" : r.error ? `failed: ${String(r.error).slice(0, 100)}` : undefined);

/** Log-log slope of time against size (1 = linear, 2 = quadratic). */
const slope = (n1, t1, n2, t2) => Math.log(t2 / t1) / Math.log(n2 / n1);

const verdict = (met) => (met === undefined ? "no goal" : met === null ? "not measured" : met ? "met" : "**missed**");

/**
 * @param results what scripts/bench.mjs measured
 * @returns rows (for bench.json), the Markdown of BENCHMARKS.md, and the table alone (printed)
 */
export function report(results) {
  const rows = [];
  const row = (measure, ours, other, goal, met) => rows.push({ measure, ours, other, goal: goal.text, met });

  const o = results.overhead;
  if (o) {
    row(
      `Per-run overhead: \`runtime.run\` of a one-prompt file ÷ the same request on the raw \`openai\` SDK, not streamed, on a local server that answers at once (no timer); median of ${results.settings.overhead.iterations} interleaved runs in each process`,
      o.ratio
        ? `**${med(o.ratio, ratio)}**: ${ms(o.oursMs.median)} vs raw openai ${o.openaiVersion} ${ms(o.rawMs.median)}; CPU time ${med(o.cpuRatio, ratio)}`
        : "failed",
      o.original.ratioToRaw4
        ? `1.1.15: ${med(o.original.ratioToRaw4, ratio)} vs its openai ${o.original.openai4Version}, ${ratio(o.original.ratioToRaw6?.median)} vs openai ${o.openaiVersion}; before: ${BEFORE.overhead}`
        : `before: ${BEFORE.overhead}`,
      GOALS.overheadRatio,
      o.ratio ? o.ratio.median <= GOALS.overheadRatio.max : null,
    );
  }

  const s = results.startUp;
  if (s) {
    row(
      `CLI start-up: \`${s.cliHelp.command}\` (what the \`aiconfig\` command runs: the CommonJS start-up bundle \`dist/bin.cjs\`) ÷ \`${s.bare.command}\` (wall time of new processes; ratio of medians in each of ${s.batches} batches of ${s.runsPerBatch})`,
      `**${med(s.cliHelp.ratio, ratio, "batches")}**: ${ms(s.cliHelp.wallMs.median)} vs ${ms(s.bare.wallMs.median)}; CPU time ${ratio(s.cliHelp.cpuRatio.median)}${s.commander ? `; commander alone (\`${s.commander.command}\`, CommonJS from node_modules, as the bin bundles it: what parsing costs before the CLI's own code): ${ratio(s.commander.ratio.median)}, CPU ${ratio(s.commander.cpuRatio.median)}` : ""}`,
      `before: ${BEFORE.cliHelp}`,
      GOALS.cliHelpRatio,
      s.cliHelp.ratio.median <= GOALS.cliHelpRatio.max,
    );
    row(
      `\`${s.npxHelp.command}\` ÷ \`node -e 0\` (npx finds the installed bin; npm's own start-up is most of it)`,
      `${med(s.npxHelp.ratio, ratio, "batches")}: ${ms(s.npxHelp.wallMs.median)} vs ${ms(s.npxHelp.bareMs.median)}`,
      "—",
      GOALS.none,
      undefined,
    );
    row(
      `Importing core: \`${s.core.command}\` ÷ \`${s.bare.command}\``,
      `${med(s.core.ratio, ratio, "batches")}: ${ms(s.core.wallMs.median)}; CPU time ${ratio(s.core.cpuRatio.median)}`,
      `1.1.15, \`${s.original.command}\`: ${med(s.original.ratio, ratio, "batches")}`,
      GOALS.coreStart,
      s.core.ratio.median <= GOALS.coreStart.max,
    );
  }

  const l = results.llama;
  if (l) {
    row(
      "`aiconfig run examples/story.aiconfig.json` on the local model (stories260K, two prompts streamed) vs a raw node-llama-cpp script doing the same (`bench/llama-raw.mjs`): the raw script's wall time ÷ the CLI's, whole processes",
      failed(l) ??
        `**${med(l.speed, pct, "pairs")}** of the raw script's speed: ${ms(l.oursMs.median)} vs ${ms(l.rawMs.median)}; by CPU time ${l.cpuSpeed ? pct(l.cpuSpeed.median) : "—"}; same text: ${l.sameText ? "yes" : "**no**"}`,
      `before: ${BEFORE.llama}`,
      GOALS.llamaSpeed,
      failed(l) ? null : l.speed.median >= GOALS.llamaSpeed.min,
    );
  }

  const i = results.install;
  if (i) {
    const fmt = (x) =>
      `**${mb(x.diskBytes)}** on disk (${mb(x.apparentBytes)} of files), ${x.packages} packages; largest: ${x.largest.map((p) => `${p.name} ${mb(p.diskBytes)}`).join(", ")}; \`aiconfig --help\` runs there: ${x.binRuns ? "yes" : "**no**"}`;
    row(
      "Install of `@aiconfig-ts/cli` alone: `npm pack`ed tarballs installed with npm into an empty folder (with core, its one dependency; both bundle their third-party libraries; providers, the editor and the static site are optional peers, not installed)",
      failed(i) ?? fmt(i.cli),
      `before: ${BEFORE.installCli}`,
      GOALS.installCli,
      failed(i) ? null : i.cli.diskBytes < GOALS.installCli.maxBytes,
    );
    row(
      "Install of core + CLI + `@aiconfig-ts/openai`, the same way",
      failed(i) ?? fmt(i.cliOpenai),
      "before: 27 packages, 40.6 MB at 390a0a5",
      GOALS.installCliOpenai,
      failed(i) ? null : i.cliOpenai.diskBytes < GOALS.installCliOpenai.maxBytes,
    );
  }

  const r = results.resolve;
  if (r) {
    const orig = Object.entries(r.original ?? {})
      .map(([n, x]) => `${Number(n).toLocaleString("en-US")} prompts: ${failed(x) ?? ms(x.firstMs)}`)
      .join(", ");
    const sizes = Object.keys(r.original ?? {}).map(Number);
    const [n1, n2] = sizes;
    const k1 =
      n1 && n2 && !failed(r.original[n1]) && !failed(r.original[n2])
        ? slope(n1, r.original[n1].firstMs, n2, r.original[n2].firstMs)
        : undefined;
    row(
      "Resolve of the last prompt of a 10,000-prompt chat, every prompt using `{{topic}}`: the first call in a new process (after loading the file)",
      r.firstMs10k ? `**${med(r.firstMs10k, ms)}**; then ${ms(r.repeatedMs10k.median)} per call` : "failed",
      `1.1.15 (same kind of file, first call; it grows cubically): ${orig || "not run"}${k1 === undefined ? "" : ` (k = ${k1.toFixed(2)})`}; before: ${BEFORE.resolve10k}`,
      GOALS.resolve10k,
      r.firstMs10k ? r.firstMs10k.median < GOALS.resolve10k.maxMs : null,
    );
    const k = r.repeatedMs10k && r.repeatedMs100k ? slope(10_000, r.repeatedMs10k.median, 100_000, r.repeatedMs100k.median) : undefined;
    row(
      "The same at 100,000 prompts, repeated calls (median of the calls after the first, in each process); k = growth exponent from 10,000 (time ∝ n^k)",
      r.repeatedMs100k ? `**${med(r.repeatedMs100k, ms)}**, k = ${k.toFixed(2)}; first call ${ms(r.firstMs100k.median)}` : "failed",
      `before: ${BEFORE.resolve100k}`,
      GOALS.resolve100k,
      r.repeatedMs100k ? r.repeatedMs100k.median < GOALS.resolve100k.maxMs && k <= GOALS.resolve100k.maxExponent : null,
    );
  }

  const f = results.file;
  if (f) {
    const size = f.bytes ? `${f.prompts.toLocaleString("en-US")} prompts, ${mb(f.bytes)}` : "20,000 prompts";
    const r = f.loadValidateToOriginal;
    row(
      `Load with validation of a ${size} JSON file ÷ 1.1.15's load of it, both timed in the same process, interleaved (each load after a GC; median of ${results.settings.file.repeats} loads of each in each process)`,
      f.loadValidateMs && r
        ? `**${med(r, ratio)}**: ${ms(f.loadValidateMs.median)} (${ms(f.loadValidateMs.min)}–${ms(f.loadValidateMs.max)}) vs 1.1.15 ${f.original.loadMs ? ms(f.original.loadMs.median) : "—"}; without validation ${ms(f.loadMs.median)}; validation alone ${ms(f.validateMs.median)}`
        : "failed",
      f.original.loadMs
        ? `1.1.15's load (it does not validate): ${med(f.original.loadMs, ms)} in ours' processes${f.original.ownProcessLoadMs ? `, ${med(f.original.ownProcessLoadMs, ms)} in its own` : ""}; before: ${BEFORE.loadValidate}`
        : "1.1.15: failed",
      GOALS.loadValidate,
      r ? r.median <= 1 : null,
    );
    row(
      "Save of the same document, outputs kept (× = times `JSON.stringify` + `writeFileSync` in the same process)",
      f.saveMs ? `${med(f.saveMs, ms)} = ${ratio(f.saveRatio.median)} (atomic: temporary file, fsync, rename)` : "failed",
      f.original.saveMs ? `1.1.15: ${med(f.original.saveMs, ms)} = ${ratio(f.original.saveRatio.median)}` : "1.1.15: failed",
      GOALS.save,
      f.saveRatio && f.original.saveRatio ? f.saveRatio.median <= f.original.saveRatio.median * 1.1 : null,
    );
  }

  const y = results.yaml;
  if (y) {
    row(
      `Load of the same document as YAML${y.bytes ? ` (${mb(y.bytes)})` : ""}, with validation: the first load in a new process, as \`aiconfig run file.yaml\` does`,
      y.firstMs ? `**${med(y.firstMs, ms)}**` : "failed",
      `1.1.15: ${failed(y.original) ?? ms(y.original.firstMs)}${y.original?.timedOut ? ` (cap ${y.originalCapMs / 1000} s)` : ""}; before: ${BEFORE.yaml}`,
      GOALS.yaml,
      y.firstMs ? y.firstMs.median <= GOALS.yaml.maxMs : null,
    );
  }

  const st = results.stream;
  if (st) {
    row(
      "Streaming: time to the first text chunk at the callback minus the raw SDK's (same server, interleaved; median in each process)",
      st.deltaMs ? `${med(st.deltaMs, signedMs)}; whole stream ${ratio(st.totalRatio.median)} the raw SDK's` : "failed",
      st.original.deltaMs ? `1.1.15: ${med(st.original.deltaMs, signedMs)}; whole stream ${ratio(st.original.totalRatio.median)}` : "—",
      GOALS.none,
      undefined,
    );
  }

  // Rows of the other issues' benchmarks (bench/<name>.mjs --json), as they gave them.
  const VERDICTS = { met: true, missed: false, "no goal": undefined, "not measured": null };
  for (const other of results.others ?? []) {
    if (other.error) {
      row(`\`bench/${other.name}.mjs\`: ${other.what}`, `failed: ${other.error}`, "—", { text: `its goals (issue ${other.issue})` }, null);
      continue;
    }
    for (const r of other.rows) {
      const goal = /\(issues? [^)]*\)$/.test(r.goal) ? r.goal : `${r.goal} (issue ${other.issue})`;
      row(r.measure, r.ours, r.baseline ?? "—", { text: goal }, r.result in VERDICTS ? VERDICTS[r.result] : null);
    }
  }

  const table = [
    "| # | measure | ours | 1.1.15, baseline or before | goal | result |",
    "|---|---|---|---|---|---|",
    ...rows.map((x, n) => `| ${n + 1} | ${x.measure} | ${x.ours} | ${x.other} | ${x.goal} | ${verdict(x.met)} |`),
  ].join("\n");

  const m = results.machine;
  const load = (a) => a?.join(", ") ?? "?";
  // Busy: more runnable processes than CPUs over the minute before the run started. The load at the end counts the
  // bench's own processes (the last rows run hundreds of sessions, workers and a browser), so it says nothing of other work.
  const busy = (m.loadAverageAtStart?.[0] ?? 0) > m.cpus;
  const lines = [
    "# Benchmarks",
    "",
    "<!-- Written by `npm run bench` (scripts/bench.mjs) from its run; do not edit by hand: run the bench again. -->",
    "",
    "This implementation (`@aiconfig-ts/core`, the CLI, `@aiconfig-ts/openai`) against the original TypeScript SDK (npm `aiconfig` 1.1.15, installed as `aiconfig-original`), the raw `openai` SDK and a raw node-llama-cpp script, measured side by side in one run, each row against the goal issue 12 set for it (the rows it does not cover keep issue 3's); then the rows of the other open issues' benchmarks (`bench/batch.mjs` for issue 13's batch runs, `bench/serve-load.mjs` for issue 10's hosted notebook, `bench/site.mjs` for issue 14's static site), each against its issue's goal. A figure is the median over several processes (or batches of processes), with the smallest and largest in brackets.",
    "",
    "```sh",
    "npm run bench                 # builds everything (npm run build, as npm ci does), measures, rewrites this file",
    "npm run bench -- --quick      # fewer processes, without the other issues' benchmarks; writes bench-results/ only",
    "npm run bench -- --only=startup,overhead --no-build",
    "npm run bench -- --only=batch,serve-load,site --no-build   # the other issues' benchmarks alone",
    "```",
    "",
    "## This run",
    "",
    `- Commit ${m.commit} (${m.commitSubject})${m.uncommittedChanges ? ", with uncommitted changes" : ""}; ${m.date}; ${results.totalSeconds} s in all, build included.`,
    `- Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}.`,
    `- Load average (1, 5, 15 min): ${load(m.loadAverageAtStart)} at the start, ${load(m.loadAverageAtEnd)} at the end${busy ? `: the machine was shared and busy (more runnable processes than its ${m.cpus} CPUs over the minute before the run), so absolute times are slower and noisier than on an idle machine; ratios are taken between contenders run interleaved, which cancels much of that` : ""}.`,
    `- Command: \`${results.command}\`.`,
    "",
    "## Results",
    "",
    table,
    "",
  ];

  const p = results.profile;
  if (p && !p.error) {
    const ownUs = Math.round(
      (p.groups.find((g) => g.name.startsWith("@aiconfig-ts/core"))?.usPerRun ?? 0) +
        (p.groups.find((g) => g.name.startsWith("@aiconfig-ts/openai"))?.usPerRun ?? 0),
    );
    const diff = p.difference;
    const parseUs = p.ownFunctions.find((f) => f.name.startsWith("parseReply "))?.usPerRun;
    const signed = (us) => `${us > 0 ? "+" : ""}${us}`;
    lines.push(
      "## Where the per-run time goes",
      "",
      diff
        ? `CPU profiles (\`node --cpu-prof\`, 100 µs sampling) of ${p.runs.toLocaleString("en-US")} non-streamed runs of the one-prompt file on the bench server: one process running \`runtime.run\` (${ms(p.msPerRun)} a run while profiled), then one sending the same request on the raw \`openai\` SDK (${ms(p.raw.msPerRun)} a run). Self time by where the code lives, in µs per run (the profiler's samples, idle included: ${p.sampledUsPerRun} and ${p.raw.sampledUsPerRun} µs a run), and what \`runtime.run\` adds:`
        : `A CPU profile (\`node --cpu-prof\`, 100 µs sampling) of ${p.runs.toLocaleString("en-US")} non-streamed runs of the one-prompt file on the bench server, in one process (${ms(p.msPerRun)} a run while profiled). Self time by where the code lives, in µs per run (the profiler's samples; they add up to ${p.sampledUsPerRun} µs a run including idle time):`,
      "",
      ...(diff
        ? [
            "| code | `runtime.run` | raw SDK | difference |",
            "|---|---|---|---|",
            ...diff.map((g) => `| ${g.name} | ${g.ours} | ${g.raw} | ${signed(g.difference)} |`),
          ]
        : ["| code | µs per run |", "|---|---|", ...p.groups.map((g) => `| ${g.name} | ${g.usPerRun} |`)]),
      "",
      diff
        ? `This project's code (core and the provider) is ${ownUs} µs a run of it${parseUs ? `, of which ${parseUs} µs is the one parse of the reply (\`JSON.parse\` in \`parseReply\`: the checked reply's \`json()\`, the SDK's only parse, which says so when a reply is not JSON; the raw call parses the same text inside fetch's own \`json()\`, on its fetch line)` : ""}. The rest of the difference is work the runtime causes in the SDK, fetch and the garbage collector (its allocations), plus the drift between two processes that ran one after the other, not interleaved (on a busy machine the idle line and the Node internals move most; the interleaved ratio in the table above is the measure). This project's functions that take most (self time, µs per run):`
        : `This project's code (core and the provider) takes ${ownUs} µs of it; the rest is the SDK, fetch, streams, sockets and GC that the raw SDK call pays too (some of the GC is ours). Its functions that take most (self time, µs per run):`,
      "",
      "| function | µs per run |",
      "|---|---|",
      ...p.ownFunctions.map((g) => `| \`${g.name}\` | ${g.usPerRun} |`),
      "",
    );
    const ph = results.phases;
    if (ph && !ph.error) {
      const us = (x) => `${x.median} µs (${x.min}–${x.max})`;
      const extra = (x) => `${signed(x.median)} µs (${signed(x.min)} to ${signed(x.max)})`;
      lines.push(
        `The same call split at the moment \`fetch\` is called and the moment it settles (\`bench/ours-worker.mjs phases\`: ours and raw alternating in one process, ${ph.rounds} rounds of 100 calls each, median per call over ${ph.processes} processes, smallest and largest in brackets; the profiler is not running, so these are the times without its sampling):`,
        "",
        "| part of a call | raw SDK | `runtime.run` | ours minus raw |",
        "|---|---|---|---|",
        `| before the send (resolve, run context, the SDK building the request) | ${us(ph.raw.pre)} | ${us(ph.ours.pre)} | ${extra(ph.extra.pre)} |`,
        `| on the network (fetch called until its response settles: the server's reply, sockets, HTTP parsing) | ${us(ph.raw.net)} | ${us(ph.ours.net)} | ${extra(ph.extra.net)} |`,
        `| after the reply (reading and parsing the body, the SDK's result, the outputs stored) | ${us(ph.raw.post)} | ${us(ph.ours.post)} | ${extra(ph.extra.post)} |`,
        "",
      );
    }
    const w = results.warm;
    const k = results.wake;
    if (w && !w.error && k && !k.error) {
      const us = (x) => `${x.median} µs (${x.min}–${x.max})`;
      lines.push(
        `What the same code costs when the thread does not wait: ours and raw alternating on a \`fetch\` that answers in the process with the recorded completion (no socket; \`bench/ours-worker.mjs warm\`, ${w.rounds.toLocaleString("en-US")} runs of each in each of ${w.processes} processes): raw ${us(w.raw)} a call, \`runtime.run\` ${us(w.ours)}, so this project's work is **${signed(w.extra.median)} µs a run** (${signed(w.extra.min)} to ${signed(w.extra.max)}; ${ratio(w.ratio.median)}). On the bench server the same work costs several times that, because it runs right after the thread wakes from the network wait: the request building of \`runtime.resolve\` (its synchronous part; \`bench/ours-worker.mjs wake\`, ${k.rounds} rounds in each of ${k.processes} processes) takes ${us(k.afterNetwork)} right after a raw call's reply, ${us(k.warm)} when run again at once, ${us(k.afterMemoryScan)} after reading 8 MB of other memory (data caches cold, thread awake), and ${us(k.afterSleep)} after a 1 ms sleep. What slows it is the wake-up, not the data caches: the per-run overhead row measures this project's few microseconds of work multiplied by how this host resumes a thread.`,
        "",
      );
    }
  }

  lines.push(
    "## How the rows are measured",
    "",
    "- Per-run overhead and streaming: `bench/ours-worker.mjs` and `bench/original-sdk.cjs` run the contenders interleaved in one process (rotating who goes first), each process a fresh one; in the overhead row, ours and the raw SDK alternate on their own, and the call that builds a new client each time is timed in a pass of its own afterwards (in a three-way rotation ours always followed it and paid for its garbage: 1.106x vs 1.070x for the same code); the server (`bench/lib/server.mjs`, its own process) answers a non-streamed request as soon as the body is read, with the recorded completion.",
    "- Start-up: `bench/lib/start-up.mjs`; each process reports its CPU time through an exit hook loaded with `--require` (in every command, bare Node included).",
    "- Install: `bench/lib/install-size.mjs` packs core, the CLI and openai with `npm pack` and installs the tarballs with `npm install --omit=dev` into empty folders outside the repository (third-party dependencies, i.e. the provider SDK, from npm); size is the disk usage of `node_modules` as `du` counts it (MB = 10^6 bytes).",
    "- Resolve, load, save: generated files (`bench/lib/configs.mjs`): long chats whose prompts all have outputs and use `{{topic}}`; the large file is 20,000 such prompts, written as JSON and as YAML (by js-yaml).",
    "- `aiconfig run`: the built CLI (`packages/cli/bin/aiconfig.js`, what the `aiconfig` command runs) against `bench/llama-raw.mjs`, which uses node-llama-cpp as the llama provider does (engine options, threads, context size, prompts, sampling settings); both print the same text (checked).",
    "",
  );

  const others = (results.others ?? []).filter((o) => !o.error);
  if (others.length) {
    lines.push("## Notes of the other issues' benchmarks", "");
    for (const o of others) {
      lines.push(`- \`node bench/${o.name}.mjs\` (issue ${o.issue}, ${o.what}; ${o.seconds} s):`);
      for (const n of o.notes) lines.push(`  - ${n}`);
    }
    lines.push("");
  }

  const each = [];
  const list = (name, s, fmt) => s && each.push(`- ${name}: ${s.values.map(fmt).join(", ")}`);
  list("per-run overhead, ours ÷ raw", o?.ratio, ratio);
  list("per-run overhead, 1.1.15 ÷ its openai", o?.original?.ratioToRaw4, ratio);
  list("CLI --help ÷ node -e 0, by batch", s?.cliHelp?.ratio, ratio);
  list("npx aiconfig --help ÷ node -e 0, by batch", s?.npxHelp?.ratio, ratio);
  list("core import ÷ node -e 0, by batch", s?.core?.ratio, ratio);
  list("aiconfig run speed vs raw node-llama-cpp, by pair", l?.speed, pct);
  list("the same by CPU time", l?.cpuSpeed, pct);
  list("resolve at 10,000, first call", r?.firstMs10k, ms);
  list("resolve at 100,000, repeated calls", r?.repeatedMs100k, ms);
  list("load with validation, JSON", f?.loadValidateMs, ms);
  list("1.1.15 load, JSON, in ours' processes", f?.original?.loadMs, ms);
  list("load with validation ÷ 1.1.15's load, JSON", f?.loadValidateToOriginal, ratio);
  list("load, YAML", y?.firstMs, ms);
  list("streaming, first chunk minus raw", st?.deltaMs, signedMs);
  if (each.length) lines.push("## Each process's figure", "", ...each, "");

  return { rows, markdown: lines.join("\n"), table };
}
