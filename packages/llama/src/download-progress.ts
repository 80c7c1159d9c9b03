/**
 * Download progress on a terminal: a bar redrawn in place when the stream is
 * a TTY, else a line at each 10% (so that logs stay short).
 *
 * @packageDocumentation
 */

/** Where progress is written: `process.stderr` or any writable with `write` (and `isTTY`). */
export interface ProgressStream {
  write(text: string): unknown;
  /** Whether it is a terminal: then a bar is redrawn with `\r`. */
  readonly isTTY?: boolean;
  /** Width of the terminal, in columns. */
  readonly columns?: number;
}

/** Reports the progress of one download. */
export interface ProgressReporter {
  /** Called with the total number of bytes received so far. */
  update(received: number): void;
  /** Ends the report (a newline after a bar). */
  done(): void;
}

/** Formats a byte count as `1.2 MB` (decimal units). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A progress reporter.
 * @param label what is downloaded, e.g. `stories260K.gguf`
 * @param total expected size in bytes (0 when unknown: only byte counts are shown)
 * @param stream where to write (`process.stderr` by default)
 */
export function createProgress(label: string, total: number, stream: ProgressStream = process.stderr): ProgressReporter {
  if (stream.isTTY) {
    let lastDrawn = -1;
    const draw = (received: number) => {
      const pct = total > 0 ? Math.min(100, Math.floor((received / total) * 100)) : 0;
      if (pct === lastDrawn && received < total) return;
      lastDrawn = pct;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 40));
      const filled = Math.round((pct / 100) * width);
      const bar = total > 0 ? `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(pct).padStart(3)}% ` : "";
      stream.write(`\r${label} ${bar}${formatBytes(received)}${total > 0 ? ` / ${formatBytes(total)}` : ""}\u001b[K`);
    };
    return { update: draw, done: () => stream.write("\n") };
  }
  let nextStep = 10;
  return {
    update(received) {
      if (total <= 0) return;
      const pct = Math.floor((received / total) * 100);
      while (pct >= nextStep && nextStep <= 100) {
        stream.write(`${label}: ${nextStep}% (${formatBytes(Math.min(received, total))} of ${formatBytes(total)})\n`);
        nextStep += 10;
      }
    },
    done() {},
  };
}
