/**
 * `@aiconfig-ts/llama/engine-start`: the start of this process's
 * node-llama-cpp engine (its import, then `getLlama`, which tests the prebuilt
 * binary in a child process before loading it: a few hundred ms), apart from
 * the provider. It imports neither core nor the provider, so that a command
 * that knows a local model is about to run (`aiconfig run`) can start the
 * engine first thing, before it loads anything else; the provider's runs then
 * use the same `Llama` instance.
 *
 * Source: node-llama-cpp 3 `getLlama` (options `gpu`, `build`,
 * `usePrebuiltBinaries`, `skipDownload`, `maxThreads`, `logLevel`); Node's
 * `diagnostics_channel` built-in channel `child_process` (Node ≥ 16.18).
 *
 * @packageDocumentation
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { Llama } from "node-llama-cpp";
import { coreCount } from "./threads.js";

let llamaPromise: Promise<Llama> | undefined;

const ignore = () => {};

/**
 * The node-llama-cpp module (imported on the first call). Sets
 * `NODE_LLAMA_CPP_SKIP_DOWNLOAD` (unless set) so that it never tries to fetch
 * or build a binary.
 * @throws (rejects) when node-llama-cpp is not installed.
 */
export function importLlamaCpp(): Promise<typeof import("node-llama-cpp")> {
  process.env["NODE_LLAMA_CPP_SKIP_DOWNLOAD"] ??= "true";
  return import("node-llama-cpp");
}

/**
 * The process's `Llama` instance, started on the first call and shared by
 * every later one: `getLlama({gpu: false, build: "never"})`, prebuilt binary
 * only (nothing compiled or downloaded), no progress logs, log level `error`,
 * `maxThreads` the number of cores (node-llama-cpp's default is at least 4,
 * which on a 2-core machine is orders of magnitude slower). A start that
 * fails is forgotten, so that the next call tries again.
 * @throws (rejects) node-llama-cpp's error when it cannot be imported or no
 * prebuilt binary works here (the provider's runs turn it into `LlamaUnavailableError`).
 */
export function startEngine(): Promise<Llama> {
  if (llamaPromise) return llamaPromise;
  const started = importLlamaCpp().then(({ getLlama, LlamaLogLevel }) =>
    getLlama({
      gpu: false,
      build: "never",
      usePrebuiltBinaries: true,
      skipDownload: true,
      progressLogs: false,
      maxThreads: coreCount(),
      logLevel: LlamaLogLevel.error,
    }),
  );
  llamaPromise = started;
  started.catch(() => {
    if (llamaPromise === started) llamaPromise = undefined;
  });
  return started;
}

/**
 * Starts {@link startEngine} for a caller with work of its own to do before
 * its first run (`aiconfig run` of a file on a local model), without waiting
 * for the engine (the provider's `warmUp` does the same and returns at once). The returned promise settles as soon as the engine's binary
 * test has started in its child process (node-llama-cpp forks it on Linux
 * before loading a prebuilt binary; seen on Node's `child_process`
 * diagnostics channel), or the start has ended (no test, or a failure),
 * whichever comes first; on other platforms, where CPU builds are not
 * tested, once node-llama-cpp is imported and `getLlama` called. A caller
 * that awaits it before its own work (loading modules, reading files) lets
 * the test run beside that work instead of delaying the test's start. It
 * never rejects: a failure is left for the run that needs the engine to report.
 */
export function warmUpEngine(): Promise<void> {
  const started = startEngine();
  if (process.platform !== "linux") return importLlamaCpp().then(ignore, ignore);
  return new Promise<void>((resolvePromise) => {
    const onChild = () => settle();
    const settle = () => {
      unsubscribe("child_process", onChild);
      resolvePromise();
    };
    subscribe("child_process", onChild);
    started.then(settle, settle);
  });
}

/**
 * The started engine, if any, forgotten: the next {@link startEngine} starts
 * a new one. For `disposeLlama`, which disposes the returned instance.
 */
export function forgetEngine(): Promise<Llama> | undefined {
  const llama = llamaPromise;
  llamaPromise = undefined;
  return llama;
}
