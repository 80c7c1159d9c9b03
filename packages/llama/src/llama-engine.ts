/**
 * The node-llama-cpp engine of this process: one `Llama` instance (CPU only,
 * prebuilt binary only: nothing is compiled or downloaded), loaded models
 * cached by path, and idle contexts pooled by path, thread count and context
 * size, so that consecutive runs reuse them.
 *
 * node-llama-cpp is imported lazily, on the first run or warm-up
 * (`engine-start.ts`).
 *
 * @packageDocumentation
 */
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { forgetEngine, importLlamaCpp, startEngine } from "./engine-start.js";
import { LlamaUnavailableError } from "./errors.js";

const models = new Map<string, Promise<LlamaModel>>();
const idleContexts = new Map<string, PooledContext[]>();
const allContexts = new Set<PooledContext>();

interface PooledContext {
  readonly key: string;
  readonly context: LlamaContext;
  readonly sequence: LlamaContextSequence;
}

/** A context lent to one run; give it back with `release`. */
export interface ContextLease {
  readonly context: LlamaContext;
  /** The context's one sequence, with its history cleared. */
  readonly sequence: LlamaContextSequence;
  /** Returns the context to the pool (call once, after generation ended). */
  release(): void;
}

/**
 * The process's `Llama` instance ({@link startEngine}: CPU only, prebuilt
 * binary only, `maxThreads` the number of cores), shared with the warm-up.
 * @throws {LlamaUnavailableError} when no prebuilt binary works here; node-llama-cpp's import error when it is not installed.
 */
export async function getEngine(): Promise<Llama> {
  await importLlamaCpp();
  try {
    return await startEngine();
  } catch (error) {
    throw new LlamaUnavailableError(
      `node-llama-cpp cannot start on this machine (${process.platform}-${process.arch}): ${(error as Error).message.split("\n")[0]}; reinstall with npm so that its prebuilt binary package (@node-llama-cpp/${process.platform}-${process.arch}) is installed`,
      { cause: error },
    );
  }
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolvePromise(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A loaded model, cached by path for the life of the process. An abort stops
 * waiting at once; the load itself goes on and is cached for the next run.
 * @param path absolute path of the GGUF file
 * @param signal cancels waiting
 */
export function loadModel(path: string, signal?: AbortSignal): Promise<LlamaModel> {
  let model = models.get(path);
  if (!model) {
    model = getEngine().then((llama) => llama.loadModel({ modelPath: path }));
    models.set(path, model);
    model.catch(() => models.delete(path));
  }
  return raceSignal(model, signal);
}

/**
 * Lends a context of a model with a given thread count and size: an idle
 * pooled one, or a new one (so concurrent runs each get their own).
 * @param model the loaded model
 * @param path its path (part of the pool key)
 * @param threads CPU threads for evaluation
 * @param contextSize context window, in tokens
 */
export async function acquireContext(model: LlamaModel, path: string, threads: number, contextSize: number): Promise<ContextLease> {
  const key = `${path}\u0000${threads}\u0000${contextSize}`;
  let pooled = idleContexts.get(key)?.pop();
  if (pooled) {
    await pooled.sequence.clearHistory();
  } else {
    const context = await model.createContext({ threads, contextSize, sequences: 1 });
    pooled = { key, context, sequence: context.getSequence() };
    allContexts.add(pooled);
  }
  const lent = pooled;
  let released = false;
  return {
    context: lent.context,
    sequence: lent.sequence,
    release() {
      if (released || lent.context.disposed) return;
      released = true;
      const list = idleContexts.get(key) ?? [];
      list.push(lent);
      idleContexts.set(key, list);
    },
  };
}

/**
 * Frees every pooled context, loaded model and the `Llama` instance. The next
 * run loads them again. Useful in tests and long-lived hosts; a process that
 * exits needs not call it.
 */
export async function disposeLlama(): Promise<void> {
  const contexts = [...allContexts];
  allContexts.clear();
  idleContexts.clear();
  const loaded = [...models.values()];
  models.clear();
  const llama = forgetEngine();
  for (const c of contexts) await c.context.dispose().catch(() => {});
  for (const m of loaded) await (await m.catch(() => undefined))?.dispose().catch(() => {});
  await (await llama?.catch(() => undefined))?.dispose().catch(() => {});
}
