/**
 * Talks to the editor's server. `backendUrl` is where the server is (e.g.
 * `http://127.0.0.1:8080/`); the token, when given, is sent in a header (and in
 * the query of event streams), else the page relies on the server's cookie.
 * With a `fetch` function (e.g. a hono app's `app.fetch` running in the page)
 * every call, event streams included, goes through it and no network server is needed.
 */
import type { AIConfig } from "@aiconfig-ts/core";
import { events } from "fetch-event-stream";
import type { AttachmentUpload, EditorState, ErrorResponse, RunEvent, RunRequest, SaveResponse } from "../../src/api-types";

/** An error answer of the server, or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body?: ErrorResponse,
  ) {
    super(message);
  }
  /** Whether the server could not be reached at all. */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

/**
 * A web-standard request handler, `(Request) => Promise<Response>`: what a hono
 * app's `app.fetch` is, so the editor's routes can answer inside the page.
 */
export type NotebookFetch = (request: Request) => Promise<Response>;

/**
 * Base URL of a backend that answers in the page through a {@link NotebookFetch}:
 * never requested over the network (`.invalid` is reserved, RFC 2606); the routes see `/api/...` paths.
 */
export const IN_PAGE_BACKEND_URL = "http://in-page.invalid/";

/** Options of {@link EditorApi}. */
export interface EditorApiOptions {
  /** The server's token, sent as the `x-aiconfig-token` header (and in the query of event streams). */
  token?: string;
  /**
   * Answers every call instead of the network (e.g. `createNotebookRoutes()`'s `app.fetch`); run
   * events are then read from the streamed `Response` body (`text/event-stream`) instead of an `EventSource`.
   */
  fetch?: NotebookFetch;
}

/** A client of one editor server, over the network or over an in-page {@link NotebookFetch}. */
export class EditorApi {
  readonly #base: string;
  readonly #fetchFn: NotebookFetch | undefined;
  /** The server's token, if any. */
  readonly token: string | undefined;
  /**
   * @param backendUrl where the server is (`http://127.0.0.1:8080/`); with `options.fetch`, the base of the
   *   requests it receives (e.g. {@link IN_PAGE_BACKEND_URL})
   * @param options the token (a string, as before) or {@link EditorApiOptions}
   */
  constructor(backendUrl: string, options?: string | EditorApiOptions) {
    this.#base = backendUrl.endsWith("/") ? backendUrl : `${backendUrl}/`;
    const o = typeof options === "string" ? { token: options } : (options ?? {});
    this.token = o.token;
    this.#fetchFn = o.fetch;
  }

  /** Whether calls are answered in the page (a `fetch` function was given) rather than by a server. */
  get inPage(): boolean {
    return this.#fetchFn !== undefined;
  }

  /** URL of an API path, with the token in the query when `withToken`. */
  url(path: string, withToken = false): string {
    const u = new URL(path.replace(/^\//, ""), this.#base);
    if (withToken && this.token) u.searchParams.set("token", this.token);
    return u.toString();
  }

  /**
   * Sends one request to the backend (the token added), through the in-page `fetch` when given.
   * @throws {ApiError} status 0 when the backend cannot be reached
   */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set("x-aiconfig-token", this.token);
    try {
      const options: RequestInit = { ...init, headers, credentials: "same-origin" };
      return await (this.#fetchFn ? this.#fetchFn(new Request(this.url(path), options)) : fetch(this.url(path), options));
    } catch (e) {
      if (init.signal?.aborted) throw e;
      throw new ApiError(`the editor's server is not reachable (${e instanceof Error ? e.message : String(e)})`, 0);
    }
  }

  async #fetch(path: string, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await this.request(path, init);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError(`the editor's server is not reachable (${e instanceof Error ? e.message : String(e)})`, 0);
    }
    if (!res.ok) {
      let body: ErrorResponse | undefined;
      try {
        body = (await res.json()) as ErrorResponse;
      } catch {
        body = undefined;
      }
      throw new ApiError(body?.error ?? `${res.status} ${res.statusText}`, res.status, body);
    }
    return res;
  }

  async #json<T>(path: string, body?: unknown): Promise<T> {
    const res = await this.#fetch(
      path,
      body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } },
    );
    return (await res.json()) as T;
  }

  state(): Promise<EditorState> {
    return this.#json("api/state");
  }
  /** The file as it is on disk now. */
  disk(): Promise<{ config: AIConfig; version: string }> {
    return this.#json("api/disk");
  }
  save(config: AIConfig, baseVersion: string, force = false): Promise<SaveResponse> {
    return this.#json("api/save", { config, baseVersion, force });
  }
  resolveModels(models: string[], modelParsers: Record<string, string> | undefined): Promise<Record<string, string | null>> {
    return this.#json("api/models", { models, model_parsers: modelParsers ?? {} });
  }
  startRun(request: RunRequest): Promise<{ runId: string }> {
    return this.#json("api/runs", request);
  }
  cancelRun(runId: string, prompt?: string): Promise<{ ok: boolean }> {
    return this.#json(`api/runs/${encodeURIComponent(runId)}/cancel`, { prompt });
  }
  uploadAttachment(upload: AttachmentUpload): Promise<{ file_uri: string }> {
    return this.#json("api/attachments", upload);
  }
  async serialize(config: AIConfig, format: "json" | "yaml"): Promise<string> {
    const res = await this.#fetch("api/serialize", {
      method: "POST",
      body: JSON.stringify({ config, format }),
      headers: { "content-type": "application/json" },
    });
    return res.text();
  }
  async exportHtml(config: AIConfig): Promise<string> {
    const res = await this.#fetch("api/export", {
      method: "POST",
      body: JSON.stringify({ config }),
      headers: { "content-type": "application/json" },
    });
    return res.text();
  }
  async health(): Promise<boolean> {
    try {
      await this.#fetch("api/health");
      return true;
    } catch {
      return false;
    }
  }
  /**
   * URL of an attachment or output file under the aiconfig file's folder. An in-page backend keeps
   * attachments and outputs inline (data), so such a URL is only meaningful with a server.
   */
  fileUrl(relativePath: string): string {
    const u = new URL(this.url("api/files", true));
    u.searchParams.set("path", relativePath);
    return u.toString();
  }

  /**
   * Follows a run's events until `done`. Returns a function that stops listening.
   * Over the network it uses an `EventSource`; with an in-page `fetch` it reads the
   * `text/event-stream` body of `api/runs/:id/events` (parsed by `fetch-event-stream`).
   * @param onEvent called for each event
   * @param onLost called when the stream breaks before `done`
   */
  followRun(runId: string, onEvent: (e: RunEvent) => void, onLost: () => void): () => void {
    const path = `api/runs/${encodeURIComponent(runId)}/events`;
    if (this.#fetchFn) return this.#followStream(path, onEvent, onLost);
    const source = new EventSource(this.url(path, true), { withCredentials: false });
    let finished = false;
    const handle = (ev: MessageEvent) => {
      const event = JSON.parse(ev.data) as RunEvent;
      onEvent(event);
      if (event.type === "done") {
        finished = true;
        source.close();
      }
    };
    source.onmessage = handle;
    source.onerror = () => {
      if (finished) return;
      finished = true;
      source.close();
      onLost();
    };
    return () => {
      finished = true;
      source.close();
    };
  }

  /** Reads a run's SSE stream from a `Response` body; the same contract as {@link followRun}. */
  #followStream(path: string, onEvent: (e: RunEvent) => void, onLost: () => void): () => void {
    const stop = new AbortController();
    let finished = false;
    const finish = () => {
      finished = true;
      stop.abort();
    };
    void (async () => {
      try {
        const res = await this.#fetch(path, { signal: stop.signal, headers: { accept: "text/event-stream" } });
        if (!res.body) throw new Error("no event stream");
        // piped with the signal, so stopping cancels the routes' stream instead of leaving it unread
        const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
        res.body.pipeTo(writable, { signal: stop.signal }).catch(() => {});
        for await (const message of events(new Response(readable), stop.signal)) {
          if (finished || message.data === undefined) continue;
          const event = JSON.parse(message.data) as RunEvent;
          onEvent(event);
          if (event.type === "done") finish();
        }
      } catch {
        // a broken stream or an answer other than the events: said through onLost below
      }
      if (!finished) {
        finished = true;
        onLost();
      }
    })();
    return finish;
  }
}
