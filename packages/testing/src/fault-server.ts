/**
 * The local server of a file of provider fault tests (issue 9, "Faults"):
 * one {@link startReplayServer} for the file, its recorded requests and
 * fallback reply cleared before each test, and the console watched, since a
 * fault must end in one error and never in an SDK's console notice (`closedPort`, in `free-port.ts`, gives
 * a port for "connection refused").
 *
 * @packageDocumentation
 */
import assert from "node:assert/strict";
import { after, afterEach, beforeEach } from "node:test";
import { type ReplayServer, startReplayServer } from "./replay-server.js";

/** What {@link startFaultServer} does besides starting the server. */
export interface FaultServerOptions {
  /** Fail each test in which `console.error`, `console.warn` or `console.log` was called (default `true`). */
  readonly quietConsole?: boolean;
}

/**
 * Starts a replay server for a test file (call at the file's top level:
 * `const server = await startFaultServer();`) and registers the file's
 * hooks: the server is closed after the file; before each test its recorded
 * requests and its fallback reply are cleared; and with
 * `quietConsole` each test fails if anything was written on the console
 * ("nothing reaches the console"), the console being restored after it.
 */
export async function startFaultServer(options: FaultServerOptions = {}): Promise<ReplayServer> {
  const server = await startReplayServer();
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.fallback(undefined);
  });
  if (options.quietConsole !== false) {
    let lines: string[] = [];
    const originals = { error: console.error, warn: console.warn, log: console.log };
    beforeEach(() => {
      lines = [];
      for (const name of ["error", "warn", "log"] as const) console[name] = (...args: unknown[]) => void lines.push(args.join(" "));
    });
    afterEach(() => {
      Object.assign(console, originals);
      assert.deepEqual(lines, [], "nothing reaches the console");
    });
  }
  return server;
}
