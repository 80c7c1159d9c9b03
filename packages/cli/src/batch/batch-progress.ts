/**
 * Progress of `aiconfig batch` on stderr: a progress bar (`cli-progress`) when
 * stderr is a terminal (done/total, rows per second, ETA, tokens, errors),
 * else a plain line every few seconds; and the summary at the end.
 *
 * @packageDocumentation
 */
import type { BatchProgress } from "@aiconfig-ts/core";
import type { ResultsTally } from "./results-file.js";

/** Shows a batch's progress. */
export interface ProgressDisplay {
  update(progress: BatchProgress): void;
  stop(): void;
}

const rate = (p: BatchProgress) => (p.elapsedMs > 0 ? (p.done * 1000) / p.elapsedMs : 0);

function eta(p: BatchProgress, total: number | undefined): string {
  const r = rate(p);
  if (total === undefined || r === 0) return "?";
  const left = Math.max(0, total - p.done - p.skipped) / r;
  return left >= 90 ? `${Math.round(left / 60)} min` : `${Math.round(left)} s`;
}

/**
 * The display for stderr.
 * @param total rows times models, when known
 * @param intervalMs time between plain lines, in ms (default: `AICONFIG_PROGRESS_MS` from the environment, else 5,000)
 */
export async function progressDisplay(
  total: number | undefined,
  intervalMs = Number(process.env.AICONFIG_PROGRESS_MS) || 5000,
): Promise<ProgressDisplay> {
  if (process.stderr.isTTY) {
    const { SingleBar, Presets } = (await import("cli-progress")).default;
    const bar = new SingleBar(
      {
        stream: process.stderr,
        format: "{bar} {value}/{total} | {rate} rows/s | ETA {etaText} | {tokens} tokens | {errors} errors{limited}",
        hideCursor: true,
        clearOnComplete: true,
      },
      Presets.shades_classic,
    );
    bar.start(total ?? 0, 0, { rate: "0.0", etaText: "?", tokens: 0, errors: 0, limited: "" });
    return {
      update(p) {
        if (total === undefined) bar.setTotal(p.done + p.skipped);
        bar.update(p.done + p.skipped, {
          rate: rate(p).toFixed(1),
          etaText: eta(p, total),
          tokens: p.tokens,
          errors: p.failed,
          limited: p.rateLimited ? ` | ${p.rateLimited} rate-limited` : "",
        });
      },
      stop: () => bar.stop(),
    };
  }
  let latest: BatchProgress | undefined;
  const line = (p: BatchProgress) =>
    `batch: ${p.done + p.skipped}${total === undefined ? "" : `/${total}`} rows, ${rate(p).toFixed(1)} rows/s, ETA ${eta(p, total)}, ${p.tokens} tokens, ${p.failed} errors${p.rateLimited ? `, ${p.rateLimited} rate-limited` : ""}\n`;
  // A line every interval while rows run, even when none finished in it (a log shows the batch is alive).
  const timer = setInterval(() => {
    const p = latest ?? { done: 0, failed: 0, skipped: 0, tokens: 0, rateLimited: 0, retries: 0, passed: 0, elapsedMs: 0 };
    process.stderr.write(line(p));
  }, intervalMs);
  timer.unref();
  return {
    update(p) {
      latest = p;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** The summary line(s) at the end of a batch. */
export function summary(p: BatchProgress, checks: number, out: string | undefined, whole?: ResultsTally): string {
  const secs = p.elapsedMs / 1000;
  const parts = [
    `batch: ${p.done} rows run in ${secs.toFixed(1)} s (${rate(p).toFixed(1)} rows/s), ${p.failed} failed`,
    p.skipped ? `${p.skipped} already done` : "",
    `${p.tokens} tokens`,
    p.rateLimited ? `${p.rateLimited} rate-limited replies retried` : "",
  ].filter(Boolean);
  let text = `${parts.join(", ")}\n`;
  // Resumed: the results file holds more than this run's rows; its pass rate is the batch's.
  const resumed = whole !== undefined && p.skipped > 0;
  if (resumed) text += `results file: ${whole.rows} rows, ${whole.failed} failed\n`;
  if (checks) {
    const [passed, of] = resumed ? [whole.passed, whole.rows] : [p.passed, p.done];
    const pct = of ? ((100 * passed) / of).toFixed(1) : "0.0";
    text += `expect: ${passed}/${of} rows passed (${pct}%)${resumed ? " in the results file" : ""}\n`;
  }
  if (out) text += `results: ${out}\n`;
  return text;
}

/**
 * The exit code of a finished batch: 1 when a row failed or a check did not pass (over the whole results
 * file when it was resumed), else 0.
 */
export function batchExitCode(p: BatchProgress, checks: number, whole?: ResultsTally): number {
  if (whole && p.skipped > 0) return whole.failed > 0 || (checks > 0 && whole.passed < whole.rows) ? 1 : 0;
  return p.failed > 0 || (checks > 0 && p.passed < p.done) ? 1 : 0;
}
