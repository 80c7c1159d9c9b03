/**
 * `--metrics`: counters in the Prometheus text format (`prom-client`, its own
 * registry), served behind the owner's token. They count what the seed's
 * telemetry lists (sessions, runs by provider and status, errors, shares,
 * downloads), what the bounds removed (sessions by the rule that removed
 * them, files swept) and what the store holds (sessions and their bytes, read
 * from the store when scraped: no cost per request), and hold no prompt text,
 * no output and no key. Nothing is sent anywhere: Prometheus (or the owner)
 * reads them.
 *
 * @packageDocumentation
 */
import { Counter, Gauge, Registry } from "prom-client";
import type { NotebookStore } from "./notebook-store.js";

/** Options of {@link NotebookMetrics}. */
export interface NotebookMetricsOptions {
  /**
   * The store whose sessions `aiconfig_serve_sessions_stored` and
   * `aiconfig_serve_session_bytes` report, read at each scrape (on Redis: all
   * processes' sessions). Without it those gauges stay 0.
   */
  store?: NotebookStore;
}

/** The hosted notebook's counters. */
export class NotebookMetrics {
  readonly registry = new Registry();
  readonly sessions = new Counter({ name: "aiconfig_serve_sessions_total", help: "Visitor sessions started", registers: [this.registry] });
  readonly runs = new Counter({
    name: "aiconfig_serve_runs_total",
    help: "Prompts run, by provider and status (ok, error, cancelled)",
    labelNames: ["provider", "status"] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "aiconfig_serve_errors_total",
    help: "Requests refused or failed, by kind",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  readonly shares = new Counter({ name: "aiconfig_serve_shares_total", help: "Snapshots shared", registers: [this.registry] });
  readonly downloads = new Counter({
    name: "aiconfig_serve_downloads_total",
    help: "Notebooks downloaded, by format",
    labelNames: ["format"] as const,
    registers: [this.registry],
  });
  readonly uploads = new Counter({
    name: "aiconfig_serve_uploads_total",
    help: "Notebooks opened from a file",
    registers: [this.registry],
  });
  /** Sessions the store's bounds removed, by `reason`: `expired`, `max_sessions`, `max_memory` (see `SessionRemovalReason`). */
  readonly sessionsRemoved = new Counter({
    name: "aiconfig_serve_sessions_removed_total",
    help: "Sessions removed by the store's bounds, by reason: expired (--session-ttl), max_sessions (--max-sessions), max_memory (--max-memory)",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  /** Uploaded files (blobs) the blob sweep deleted. */
  readonly blobsSwept = new Counter({
    name: "aiconfig_serve_blobs_swept_total",
    help: "Uploaded files deleted by the sweep (no session, snapshot or the owner's notebook refers to them)",
    registers: [this.registry],
  });
  /** Sessions stored now (the store's count, read at each scrape). */
  readonly sessionsStored: Gauge;
  /** Bytes the stored sessions hold now (the store's sum of their `bytes`, read at each scrape). */
  readonly sessionBytes: Gauge;
  readonly localWaiting = new Gauge({
    name: "aiconfig_serve_local_queue_waiting",
    help: "Runs waiting for the local model",
    registers: [this.registry],
  });

  /**
   * @param options the store whose sessions the gauges report (read when Prometheus scrapes; a store error reports `NaN`)
   */
  constructor(options: NotebookMetricsOptions = {}) {
    const store = options.store;
    this.sessionsStored = new Gauge({
      name: "aiconfig_serve_sessions_stored",
      help: "Sessions the store holds now",
      registers: [this.registry],
      async collect() {
        if (store) this.set(await store.countSessions().catch(() => Number.NaN));
      },
    });
    this.sessionBytes = new Gauge({
      name: "aiconfig_serve_session_bytes",
      help: "Bytes the stored sessions hold now (notebooks, outputs, uploaded files; what --max-memory bounds)",
      registers: [this.registry],
      async collect() {
        if (store) this.set(await store.sessionBytes().catch(() => Number.NaN));
      },
    });
  }

  /** The metrics in the Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
