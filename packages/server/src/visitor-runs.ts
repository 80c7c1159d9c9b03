/**
 * Runs of visitors' notebooks: each on a runtime of its own, with the
 * visitor's keys (see `visitor-run-policy.ts`), attachments from the store,
 * outputs stored into the session as each prompt ends (so a reload, another
 * process, or a crash of this one loses none that finished), per-session
 * limits (runs at once, output size), and the offline providers behind
 * {@link LocalModelQueue}. Events are the editor's (`RunSession`); with a
 * store that shares runs (Redis) they are also appended to the store, so any
 * process can follow a run and ask it to cancel.
 *
 * @packageDocumentation
 */
import { randomUUID } from "node:crypto";
import { type AIConfig, AIConfigRuntime, type Output, type ProviderRegistry } from "@aiconfig-ts/core";
import { type RunEvent, type RunMode, RunSession } from "@aiconfig-ts/editor";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { LocalModelBusyError, type LocalModelQueue } from "./local-model-queue.js";
import type { NotebookMetrics } from "./notebook-metrics.js";
import type { NotebookStore } from "./notebook-store.js";
import type { VisitorKeyName } from "./session-keys.js";
import type { SessionManager, VisitorSession } from "./visitor-session.js";
import {
  credentialValues,
  endpointSettings,
  inlineAttachments,
  refuseServerPaths,
  VisitorRunRefusedError,
  visitorRunEnvironment,
} from "./visitor-run-policy.js";

/** How long a run holds its place in the session's limit without being renewed (a process that dies frees it then), in ms. */
const RUN_LEASE_MS = 60_000;

/** How long a run followed through the store may stay silent before the follower gives up, in ms. */
const REMOTE_RUN_SILENCE_MS = 120_000;

/** Limits of one session's runs. */
export interface RunLimits {
  /** Runs of one session at once, counted in the store (across every process on it). */
  concurrentRuns: number;
  /** Largest output of one prompt (JSON, streamed text included), in bytes. */
  outputBytes: number;
}

/** What {@link VisitorRuns} needs. */
export interface VisitorRunsOptions {
  /** The owner's file: runs resolve the owner's relative model paths against its folder (never attachments: those are inline). */
  ownerFile: string;
  /** The owner's server-path settings visitors may keep (see `ownerPathSettings`). */
  ownerPaths: ReadonlySet<string>;
  store: NotebookStore;
  sessions: SessionManager;
  registry: ProviderRegistry;
  queue: LocalModelQueue;
  limits: RunLimits;
  ownerEnv: Readonly<Record<string, string | undefined>>;
  /** The keys visitors may enter (`visitorKeyNames`): which variables are credentials, and each key's family. */
  keyNames: readonly VisitorKeyName[];
  shareOwnerKeys: boolean;
  metrics?: NotebookMetrics;
}

/** A run started here. */
interface LocalRun {
  run: RunSession;
  sessionId: string;
}

/** An error answer for a run request: `status` is the HTTP status. */
export interface RunRefusal {
  status: 400 | 409 | 429 | 503;
  error: string;
}

function modelOf(config: AIConfig, name: string): string | undefined {
  const p = config.prompts.find((x) => x.name === name);
  const m = p?.metadata?.model;
  return (typeof m === "string" ? m : m?.name) ?? config.metadata?.default_model;
}

/** Starts, follows and cancels visitors' runs. */
export class VisitorRuns {
  readonly #o: VisitorRunsOptions;
  readonly #runs = new Map<string, LocalRun>();
  readonly #persist = new Map<string, Promise<void>>();

  constructor(options: VisitorRunsOptions) {
    this.#o = options;
  }

  /** Runs in progress in this process. */
  get running(): number {
    let n = 0;
    for (const r of this.#runs.values()) if (!r.run.done) n++;
    return n;
  }

  /**
   * Starts a run of the session's notebook (already checked and stored).
   * @returns the run id, or why it was refused
   */
  async start(session: VisitorSession, config: AIConfig, what: RunMode): Promise<{ runId: string } | RunRefusal> {
    const o = this.#o;
    let runConfig: AIConfig;
    try {
      refuseServerPaths(config, o.ownerPaths);
      runConfig = await inlineAttachments(config, o.store);
    } catch (e) {
      if (e instanceof VisitorRunRefusedError) return { status: 400, error: `not run: ${e.message}` };
      throw e;
    }
    const visitorKeys = await o.sessions.keys(session);
    const env = visitorRunEnvironment({
      ownerEnv: o.ownerEnv,
      visitorKeys,
      keyNames: o.keyNames,
      shareOwnerKeys: o.shareOwnerKeys,
      notebookSetsEndpoint: endpointSettings(config).length > 0,
    });
    const secrets = [...new Set([...credentialValues(env), ...Object.values(visitorKeys), ...credentialValues(o.ownerEnv)])];
    const rt = new AIConfigRuntime(runConfig, { registry: o.registry, strict: true, env }, o.ownerFile);
    const id = randomUUID();
    // Visitors are strangers: a failed prompt's error output reaches them without the stack of the server's code.
    const run = new RunSession(id, secrets, undefined, { tracebacks: false });
    const names = what.mode === "all" ? config.prompts.map((p) => p.name) : [what.prompt];
    const providerOf = new Map<string, string>();
    let offline = false;
    for (const n of names) {
      const model = modelOf(config, n);
      const provider = model ? o.registry.find(model, config.metadata?.model_parsers) : undefined;
      providerOf.set(n, provider?.id ?? "unknown");
      // a provider that runs on this machine says so (capabilities.offline): one at a time, through the queue
      if (provider?.capabilities?.offline === true) offline = true;
    }
    if (offline && o.queue.waiting >= o.queue.maxWaiting) {
      o.metrics?.errors.inc({ kind: "local_model_busy" });
      return { status: 503, error: `the local model is busy, position ${o.queue.waiting + 1}: try again in a minute` };
    }
    // the place in the session's limit of runs at once, held in the store so it counts across processes
    if (!(await o.store.beginRun(session.id, id, o.limits.concurrentRuns, RUN_LEASE_MS))) {
      const active = await o.store.runningRuns(session.id);
      return {
        status: 429,
        error: `this session already has ${active} runs going (at most ${o.limits.concurrentRuns}): wait for one to finish or cancel it`,
      };
    }
    const lease = setInterval(() => void o.store.renewRun(session.id, id, RUN_LEASE_MS).catch(() => {}), RUN_LEASE_MS / 3);
    lease.unref();
    this.#runs.set(id, { run, sessionId: session.id });
    let streamed = 0;
    /** The first event's write to the store: another process can follow the run once it is there. */
    let appended: Promise<void> | undefined;
    run.follow((e) => {
      if (e.type === "delta") {
        streamed += e.delta.length;
        if (streamed > o.limits.outputBytes && !run.controller.signal.aborted) run.controller.abort();
      }
      if (e.type === "outputs" || (e.type === "error" && e.outputs)) this.#storeOutputs(session, e.prompt, e.outputs ?? []);
      if (e.type === "outputs") o.metrics?.runs.inc({ provider: providerOf.get(e.prompt) ?? "unknown", status: "ok" });
      if (e.type === "error") o.metrics?.runs.inc({ provider: providerOf.get(e.prompt) ?? "unknown", status: "error" });
      if (e.type === "cancelled") o.metrics?.runs.inc({ provider: providerOf.get(e.prompt) ?? "unknown", status: "cancelled" });
      if (o.store.appendRunEvent) {
        const append = o.store.appendRunEvent(id, JSON.stringify(e), e.type === "done").catch(() => {});
        appended ??= append;
      }
    });
    const limitOutputs = (e: RunEvent): RunEvent => {
      if (e.type !== "outputs") return e;
      const size = JSON.stringify(e.outputs).length;
      if (size <= o.limits.outputBytes) return e;
      return {
        type: "error",
        prompt: e.prompt,
        name: "OutputTooLargeError",
        message: `the output is ${size} bytes, more than this notebook keeps (${o.limits.outputBytes}): ask for less (e.g. max_tokens)`,
        durationMs: e.durationMs,
      };
    };
    const emit = run.emit.bind(run);
    // `done` goes out once the outputs are stored, so a page (or another process) reading the session then has them
    run.emit = (e: RunEvent) => {
      if (e.type !== "done") return emit(limitOutputs(e));
      void this.flush(session.id).then(() => emit(e));
    };
    let cancelPoll: NodeJS.Timeout | undefined;
    if (o.store.cancelRequested) {
      cancelPoll = setInterval(() => {
        void o.store.cancelRequested!(id).then(
          (yes) => yes && run.controller.abort(),
          () => {},
        );
      }, 500);
      cancelPoll.unref();
    }
    const execute = () => run.execute(rt, what);
    const work = offline
      ? o.queue
          .run(
            execute,
            (position) => {
              o.metrics?.localWaiting.set(o.queue.waiting);
              run.emit({ type: "waiting", prompts: names, position });
            },
            run.controller.signal,
          )
          .catch((e: unknown) => {
            const message = e instanceof LocalModelBusyError ? e.message : "cancelled while waiting for the local model";
            if (e instanceof LocalModelBusyError) o.metrics?.errors.inc({ kind: "local_model_busy" });
            for (const n of names) run.emit({ type: "skipped", prompt: n, reason: `not run: ${message}` });
            run.emit({ type: "done", ok: false, error: message });
          })
      : execute();
    void work.finally(async () => {
      if (cancelPoll) clearInterval(cancelPoll);
      clearInterval(lease);
      o.metrics?.localWaiting.set(o.queue.waiting);
      await o.store.endRun(session.id, id).catch(() => {});
      await this.#persist.get(session.id);
      setTimeout(() => this.#runs.delete(id), 60_000).unref();
    });
    await appended;
    return { runId: id };
  }

  /** Writes a prompt's new outputs into the stored session (one write at a time per session). */
  #storeOutputs(session: VisitorSession, prompt: string, outputs: Output[]): void {
    const previous = this.#persist.get(session.id) ?? Promise.resolve();
    const next = previous.then(async () => {
      // a session that ended while it ran (expired, evicted) is not brought back by its outputs
      const record = await this.#o.store.getSession(session.id);
      const config = record?.config;
      if (!record || !config) return;
      const prompts = config.prompts.map((p) => (p.name === prompt ? { ...p, outputs } : p));
      await this.#o.sessions.saveConfig({ ...session, record }, { ...config, prompts });
    });
    const settled = next.catch(() => {});
    this.#persist.set(session.id, settled);
    void settled.then(() => this.#persist.get(session.id) === settled && this.#persist.delete(session.id));
  }

  /** Whether outputs of the session are being stored. */
  storing(sessionId: string): boolean {
    return this.#persist.has(sessionId);
  }

  /** Waits until the outputs of the session's finished prompts are stored. */
  async flush(sessionId: string): Promise<void> {
    await this.#persist.get(sessionId);
  }

  /** Cancels a run of the session (here, or through the store in the process that runs it). */
  async cancel(sessionId: string, runId: string): Promise<boolean> {
    const local = this.#runs.get(runId);
    if (local) {
      if (local.sessionId !== sessionId) return false;
      local.run.controller.abort();
      return true;
    }
    if (!this.#o.store.requestCancel) return false;
    await this.#o.store.requestCancel(runId);
    return true;
  }

  /** Cancels every run of this process. */
  cancelAll(): void {
    for (const r of this.#runs.values()) if (!r.run.done) r.run.controller.abort();
  }

  /**
   * Streams a run's events as server-sent events: from this process when it
   * runs here, else from the store's log (Redis).
   * @returns a 404 answer when neither has the run, or it belongs to another session
   */
  async follow(c: Context, sessionId: string, runId: string): Promise<Response> {
    const local = this.#runs.get(runId);
    if (local && local.sessionId !== sessionId) return c.json({ error: "no such run" }, 404);
    if (local) return local.run.sse(c);
    const read = this.#o.store.readRunEvents;
    if (!read) return c.json({ error: "no such run (it may have finished more than a minute ago)" }, 404);
    const first = await read.call(this.#o.store, runId, 0);
    if (!first) return c.json({ error: "no such run (it may have finished more than ten minutes ago)" }, 404);
    return streamSSE(c, async (stream) => {
      let next = 0;
      let page = first;
      let lastEvent = Date.now();
      while (!stream.aborted) {
        for (const data of page.events) await stream.writeSSE({ data });
        next += page.events.length;
        if (page.events.length) lastEvent = Date.now();
        if (page.done && page.events.length === 0) break;
        if (Date.now() - lastEvent > REMOTE_RUN_SILENCE_MS) {
          const done: RunEvent = { type: "done", ok: false, error: "the server running this run stopped answering: run it again" };
          await stream.writeSSE({ data: JSON.stringify(done) });
          break;
        }
        await new Promise((r) => setTimeout(r, page.events.length ? 0 : 50));
        page = (await read.call(this.#o.store, runId, next)) ?? { events: [], done: true };
      }
    });
  }
}
