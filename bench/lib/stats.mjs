// Small statistics and timing helpers shared by the workers.
import { performance } from "node:perf_hooks";

/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The q-quantile (0..1) by nearest rank. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

/** Median, p10, p90 and count of samples in milliseconds, rounded for the JSON. */
export function summary(samples) {
  const r = (x) => Math.round(x * 1000) / 1000;
  return { median: r(median(samples)), p10: r(quantile(samples, 0.1)), p90: r(quantile(samples, 0.9)), n: samples.length };
}

/** Milliseconds since an arbitrary origin, sub-millisecond resolution. */
export const now = () => performance.now();

/** Times `fn` (sync or async) once; returns [milliseconds, result]. */
export async function timeOnce(fn) {
  const start = now();
  const result = await fn();
  return [now() - start, result];
}

/**
 * Runs the contenders in turn, `warmup` rounds unmeasured then `iterations`
 * measured rounds, rotating who goes first each round so that none always
 * follows the same one. Each contender is an async function returning the
 * milliseconds to record (so it can measure a part of its work, e.g. time to
 * first chunk) or nothing (then its whole duration is recorded). The
 * process's CPU time (user + system) during each call is recorded too: on a
 * busy machine it is steadier than wall time, and the calls run one at a time.
 * @returns samples (milliseconds) by contender name, and `cpu`: CPU milliseconds by contender name
 */
export async function interleave(contenders, { warmup, iterations }) {
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < warmup + iterations; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const cpuStart = process.cpuUsage();
      const start = now();
      const measured = await contenders[name]();
      const ms = typeof measured === "number" ? measured : now() - start;
      const used = process.cpuUsage(cpuStart);
      if (round >= warmup) {
        samples[name].push(ms);
        cpu[name].push((used.user + used.system) / 1000);
      }
    }
  }
  return Object.assign(samples, { cpu });
}

/**
 * The synchronous counterpart of {@link interleave} for file operations: `rounds`
 * rounds of every contender in turn (rotating who goes first), each call after a
 * full GC when the process runs with --expose-gc, so that one call's garbage is
 * not billed to the next.
 * @returns a summary (milliseconds) by contender name
 */
export function interleaveSync(contenders, rounds) {
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const gc = globalThis.gc ?? (() => {});
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      gc();
      const start = now();
      contenders[name]();
      samples[name].push(now() - start);
    }
  }
  return Object.fromEntries(names.map((n) => [n, summary(samples[n])]));
}

/** Prints a worker's result as the last line of stdout, for the parent to read. */
export function emit(result) {
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
}

/**
 * A figure measured several times (e.g. once per process): its median, the
 * smallest and largest, and every value (rounded), for "median (min–max)".
 */
export function spread(values) {
  const ok = values.filter((v) => typeof v === "number" && !Number.isNaN(v));
  const r = (x) => Math.round(x * 10000) / 10000;
  return { median: r(median(ok)), min: r(Math.min(...ok)), max: r(Math.max(...ok)), n: ok.length, values: ok.map(r) };
}
