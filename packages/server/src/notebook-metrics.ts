/**
 * `--metrics`: counters in the Prometheus text format (`prom-client`, its own
 * registry), served behind the owner's token. They count what the seed's
 * telemetry lists (sessions, runs by provider and status, errors, shares,
 * downloads) and hold no prompt text, no output and no key. Nothing is sent
 * anywhere: Prometheus (or the owner) reads them.
 *
 * @packageDocumentation
 */
import { Counter, Gauge, Registry } from "prom-client";

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
  readonly localWaiting = new Gauge({
    name: "aiconfig_serve_local_queue_waiting",
    help: "Runs waiting for the local model",
    registers: [this.registry],
  });

  /** The metrics in the Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
