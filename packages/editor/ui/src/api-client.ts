/**
 * Talks to the editor's server. `backendUrl` is where the server is (e.g.
 * `http://127.0.0.1:8080/`); the token, when given, is sent in a header (and in
 * the query of event streams), else the page relies on the server's cookie.
 */
import type { AIConfig } from "@aiconfig-ts/core";
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

/** A client of one editor server. */
export class EditorApi {
  readonly #base: string;
  constructor(
    backendUrl: string,
    readonly token?: string,
  ) {
    this.#base = backendUrl.endsWith("/") ? backendUrl : `${backendUrl}/`;
  }

  /** URL of an API path, with the token in the query when `withToken`. */
  url(path: string, withToken = false): string {
    const u = new URL(path.replace(/^\//, ""), this.#base);
    if (withToken && this.token) u.searchParams.set("token", this.token);
    return u.toString();
  }

  async #fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set("x-aiconfig-token", this.token);
    let res: Response;
    try {
      res = await fetch(this.url(path), { ...init, headers, credentials: "same-origin" });
    } catch (e) {
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
  /** URL of an attachment or output file under the aiconfig file's folder. */
  fileUrl(relativePath: string): string {
    const u = new URL(this.url("api/files", true));
    u.searchParams.set("path", relativePath);
    return u.toString();
  }

  /**
   * Follows a run's events until `done`. Returns a function that stops listening.
   * @param onEvent called for each event
   * @param onLost called when the stream breaks before `done`
   */
  followRun(runId: string, onEvent: (e: RunEvent) => void, onLost: () => void): () => void {
    const source = new EventSource(this.url(`api/runs/${encodeURIComponent(runId)}/events`, true), { withCredentials: false });
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
}
