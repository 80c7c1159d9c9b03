// Start-up: wall time of a new Node process that runs a command and exits,
// against a bare `node -e 0`. The commands run in turn (rotating who goes
// first) in `batches` batches of `runs` rounds each, after one unmeasured
// round; each batch gives a ratio of medians, and the figure is the median of
// the batches' ratios, their spread beside it. Each process also reports its
// own CPU time (all threads, from start to exit) through an exit hook loaded
// with --require before the code: on a busy machine it is steadier than wall time.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { median, now, spread } from "./stats.mjs";

/** The commands measured in the repository root (argv after `node`), by name; the first is the baseline. */
export const START_UP_COMMANDS = {
  bare: ["-e", "0"],
  cliHelp: ["packages/cli/bin/aiconfig.js", "--help"],
  commander: ["-e", "require('commander')"],
  core: ["-e", "import('@aiconfig-ts/core')"],
  original: ["-e", "require('aiconfig-original')"],
};

/** How each command is shown in the report. */
export const START_UP_LABELS = {
  bare: "node -e 0",
  cliHelp: "node packages/cli/bin/aiconfig.js --help",
  commander: `node -e "require('commander')"`,
  core: `node -e "import('@aiconfig-ts/core')"`,
  original: `node -e "require('aiconfig-original')"`,
  npxHelp: "npx aiconfig --help",
};

const CPU_HOOK = "process.on('exit',()=>{const u=process.cpuUsage();require('fs').writeSync(2,'\\nCPU_US '+(u.user+u.system)+'\\n')});\n";

function once(root, file, hook, argv) {
  const start = now();
  const r = spawnSync(file, hook ? ["--require", hook, ...argv] : argv, { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  const ms = now() - start;
  if (r.status !== 0) throw new Error(`start-up of "${[file, ...argv].join(" ")}" failed: ${r.stderr || r.error}`);
  const cpu = /CPU_US (\d+)/.exec(r.stderr)?.[1];
  return { ms, cpuMs: cpu === undefined ? undefined : Number(cpu) / 1000 };
}

/**
 * Measures START_UP_COMMANDS (and `npx aiconfig --help`, fewer times: npm's own start-up is most of it).
 * @returns per command: wall and CPU summaries, ratio to bare Node (median of batch ratios) and its spread
 */
export function startUp(root, scratchDir, { batches, runs, npxRuns }) {
  const hook = join(scratchDir, "cpu-hook.cjs");
  writeFileSync(hook, CPU_HOOK);
  const names = Object.keys(START_UP_COMMANDS);
  const all = Object.fromEntries(names.map((n) => [n, { ms: [], cpu: [] }]));
  const batchRatios = Object.fromEntries(names.map((n) => [n, { wall: [], cpu: [] }]));
  for (const name of names) once(root, process.execPath, hook, START_UP_COMMANDS[name]); // warm the disk cache
  for (let b = 0; b < batches; b++) {
    const batch = Object.fromEntries(names.map((n) => [n, { ms: [], cpu: [] }]));
    for (let round = 0; round < runs; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k + b) % names.length];
        const r = once(root, process.execPath, hook, START_UP_COMMANDS[name]);
        batch[name].ms.push(r.ms);
        batch[name].cpu.push(r.cpuMs);
        all[name].ms.push(r.ms);
        all[name].cpu.push(r.cpuMs);
      }
    }
    for (const name of names) {
      batchRatios[name].wall.push(median(batch[name].ms) / median(batch.bare.ms));
      batchRatios[name].cpu.push(median(batch[name].cpu) / median(batch.bare.cpu));
    }
  }
  const out = {};
  for (const name of names) {
    out[name] = {
      command: START_UP_LABELS[name],
      wallMs: spread(all[name].ms),
      cpuMs: spread(all[name].cpu),
      ratio: spread(batchRatios[name].wall),
      cpuRatio: spread(batchRatios[name].cpu),
    };
  }
  // npx: its own process tree (npm's CLI, then node for the bin), so no CPU hook; interleaved with bare Node.
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";
  const npxMs = [];
  const bareMs = [];
  const npxRatios = [];
  once(root, npx, undefined, ["--no-install", "aiconfig", "--help"]);
  for (let b = 0; b < batches; b++) {
    const n = [];
    const bare = [];
    for (let i = 0; i < npxRuns; i++) {
      n.push(once(root, npx, undefined, ["--no-install", "aiconfig", "--help"]).ms);
      bare.push(once(root, process.execPath, undefined, ["-e", "0"]).ms);
    }
    npxMs.push(...n);
    bareMs.push(...bare);
    npxRatios.push(median(n) / median(bare));
  }
  out.npxHelp = { command: START_UP_LABELS.npxHelp, wallMs: spread(npxMs), bareMs: spread(bareMs), ratio: spread(npxRatios) };
  out.batches = batches;
  out.runsPerBatch = runs;
  return out;
}
