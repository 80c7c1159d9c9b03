/**
 * The setup a provider's test file shares with the others: one replay server
 * (`startReplayServer()`) for the file, one temporary folder for the files it
 * saves, and runtimes whose environment points the provider's SDK at the
 * server, with the provider registered. Started by `before` and stopped by
 * `after` hooks of `node:test`, registered where it is called.
 *
 * Takes the runtime class rather than importing `@aiconfig-ts/core`, so this
 * package keeps no dependency on the packages whose tests use it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { type ReplayServer, startReplayServer } from "./replay-server.js";

/** The environment a runtime reads (core's `RuntimeOptions.env`). */
type Environment = Record<string, string>;

/**
 * What loads a runtime: core's `AIConfigRuntime` class (its static `load` of
 * a file path and `loadJSON` of a config object, each with `{env}`).
 */
export interface RuntimeLoader<R, C> {
  load(path: string, options: { env: Environment }): R;
  loadJSON(config: C, options: { env: Environment }): R;
}

/** Options of {@link setUpReplayRuntimes}. */
export interface ReplayRuntimesOptions<R, C> {
  /** The start of the temporary folder's name, e.g. `"gemini-history-"` (made under `os.tmpdir()`). */
  readonly tempPrefix: string;
  /**
   * The environment of every runtime, given the server's URL
   * (`http://127.0.0.1:PORT`): a test key and the base-URL variable the
   * provider reads, e.g. `{GEMINI_API_KEY: "test-key", GOOGLE_GEMINI_BASE_URL: url}`.
   */
  readonly env: (serverUrl: string) => Environment;
  /** The runtime class, `AIConfigRuntime` from `@aiconfig-ts/core`. */
  readonly runtimeClass: RuntimeLoader<R, C>;
  /** Registers the provider under test on a new runtime, e.g. `(rt) => register(rt.registry)`. */
  readonly register: (runtime: R) => void;
}

/** The server, folder and runtimes of one test file (see {@link setUpReplayRuntimes}). */
export interface ReplayRuntimes<R, C> {
  /** The file's replay server; read it inside tests (it starts in a `before` hook). */
  readonly server: ReplayServer;
  /** The file's temporary folder, removed with its contents after the file's tests. */
  readonly dir: string;
  /** The environment runtimes get: `options.env(server.url)`. */
  env(): Environment;
  /** A runtime of a config object (`loadJSON`), the provider registered. */
  runtime(config: C): R;
  /** A runtime of a saved file (`load`), the provider registered. */
  load(path: string): R;
}

/**
 * Sets up, for the test file that calls it (at its top level), a replay
 * server on 127.0.0.1 and a temporary folder (a `before` hook), closed and
 * removed by an `after` hook, and gives runtimes pointed at that server.
 * `server` and `dir` throw when read before the `before` hook ran.
 */
export function setUpReplayRuntimes<R, C>(options: ReplayRuntimesOptions<R, C>): ReplayRuntimes<R, C> {
  let server: ReplayServer | undefined;
  let dir: string | undefined;
  before(async () => {
    server = await startReplayServer();
    dir = mkdtempSync(join(tmpdir(), options.tempPrefix));
  });
  after(async () => {
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  const started = (): ReplayServer => {
    if (!server) throw new Error("setUpReplayRuntimes: the replay server starts in a before hook; read it inside a test");
    return server;
  };
  const env = (): Environment => options.env(started().url);
  const registered = (runtime: R): R => {
    options.register(runtime);
    return runtime;
  };
  return {
    get server() {
      return started();
    },
    get dir() {
      if (dir === undefined) throw new Error("setUpReplayRuntimes: the folder is made in a before hook; read it inside a test");
      return dir;
    },
    env,
    runtime: (config) => registered(options.runtimeClass.loadJSON(config, { env: env() })),
    load: (path) => registered(options.runtimeClass.load(path, { env: env() })),
  };
}
