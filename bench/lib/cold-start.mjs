// Cold start: wall time of a new Node process that imports a package and
// exits, against a bare `node -e 0`. The commands run in turn (rotating who
// goes first), `runs` times each after one unmeasured round; medians. Each
// process also reports its own CPU time (all threads, from start to exit)
// through an exit hook put before the code: on a busy machine that is steadier
// than wall time.
import { spawnSync } from "node:child_process";
import { median, now, summary } from "./stats.mjs";

/** The commands measured, as `node -e CODE` run in the repository root (so the workspace packages resolve). */
export const COLD_START_COMMANDS = {
  bare: "0",
  core: "import('@aiconfig-ts/core')",
  coreOpenai: "import('@aiconfig-ts/core').then(() => import('@aiconfig-ts/openai')).then((m) => m.register())",
  original: "require('aiconfig-original')",
};

/** Prints the process's CPU time in microseconds as it exits. */
const CPU_HOOK = "process.on('exit',()=>{const u=process.cpuUsage();require('fs').writeSync(1,'\\n'+(u.user+u.system))});";

export function coldStart(root, runs) {
  const names = Object.keys(COLD_START_COMMANDS);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round <= runs; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const start = now();
      const r = spawnSync(process.execPath, ["-e", CPU_HOOK + COLD_START_COMMANDS[name]], {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
        encoding: "utf8",
      });
      const ms = now() - start;
      if (r.status !== 0) throw new Error(`cold start "${name}" failed: ${r.stderr}`);
      if (round > 0) {
        samples[name].push(ms);
        cpu[name].push(Number(r.stdout.trim().split("\n").at(-1)) / 1000);
      }
    }
  }
  const bare = median(samples.bare);
  const bareCpu = median(cpu.bare);
  return {
    commands: Object.fromEntries(names.map((n) => [n, `node -e "${COLD_START_COMMANDS[n]}"`])),
    ...Object.fromEntries(
      names.map((n) => [
        n,
        { ...summary(samples[n]), ratioToBare: median(samples[n]) / bare, cpu: summary(cpu[n]), cpuRatioToBare: median(cpu[n]) / bareCpu },
      ]),
    ),
  };
}
