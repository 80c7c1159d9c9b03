/**
 * How many CPU threads a model runs on.
 *
 * Measured on this project's 2-core machine with node-llama-cpp 3.22.1 and
 * `stories260K.gguf` (see the package README): 1 thread generates hundreds of
 * tokens per second, 2 threads only 8-120, and more threads than cores under
 * 1 token per second. Tiny models therefore default to 1 thread; larger ones
 * to the number of cores; no setting may exceed the number of cores.
 *
 * @packageDocumentation
 */
import { availableParallelism } from "node:os";

/** Models smaller than this (in bytes, 100 MB) default to one thread. */
export const TINY_MODEL_BYTES = 100_000_000;

/** The number of cores this process may use (`os.availableParallelism()`). */
export function coreCount(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The default thread count for a model file: 1 under {@link TINY_MODEL_BYTES},
 * else {@link coreCount}.
 * @param modelBytes size of the GGUF file, in bytes
 */
export function defaultThreads(modelBytes: number): number {
  return modelBytes < TINY_MODEL_BYTES ? 1 : coreCount();
}

/** A thread count to use, and whether it was lowered. */
export interface ThreadChoice {
  threads: number;
  /** The setting asked for more threads than cores; `threads` is the core count. */
  clamped: boolean;
}

/**
 * The thread count to use: the setting (clamped to {@link coreCount}) or the
 * default for the model's size.
 * @param setting the `threads` setting, if any
 * @param modelBytes size of the GGUF file, in bytes
 */
export function chooseThreads(setting: number | undefined, modelBytes: number): ThreadChoice {
  if (setting === undefined) return { threads: defaultThreads(modelBytes), clamped: false };
  const cores = coreCount();
  return setting > cores ? { threads: cores, clamped: true } : { threads: setting, clamped: false };
}
