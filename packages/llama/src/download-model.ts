/**
 * Downloads a model file: streamed with the built-in `fetch`, checked against
 * its size and SHA-256, written atomically (a temporary file beside the target,
 * then a rename), with progress on stderr.
 *
 * @packageDocumentation
 */
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { once } from "node:events";
import { ProviderResponseError, providerFetch } from "@aiconfig-ts/core";
import { DEFAULT_MODEL, defaultModelUrl } from "./default-model.js";
import { createProgress, type ProgressStream } from "./download-progress.js";
import { ModelDownloadError } from "./errors.js";
import { type Env, modelsDir } from "./models-dir.js";

/** What {@link downloadFile} needs. */
export interface DownloadFileOptions {
  /** URL to download (http or https). */
  url: string;
  /** Absolute path to write. */
  dest: string;
  /** Expected SHA-256, lowercase hex; checked when given. */
  sha256?: string;
  /** Expected size in bytes; checked when given, and used for progress when the server sends no length. */
  bytes?: number;
  /** Cancels the download (the temporary file is removed). */
  signal?: AbortSignal;
  /** Where progress goes; default `process.stderr`. */
  progress?: ProgressStream;
  /** Longest wait for the server's headers and between chunks, in milliseconds (default 60000): a stalled download fails instead of hanging. */
  stallTimeout?: number;
}

/**
 * Downloads a file to `dest` atomically: nothing is at `dest` until the whole
 * file arrived and matched its size and checksum. The folder is created.
 * @returns `dest`
 * @throws {ModelDownloadError} on an HTTP error status, a network error, or a
 *   size or checksum mismatch (the partial file is deleted).
 * @throws the signal's reason when aborted.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<string> {
  const { url, dest } = options;
  const name = basename(dest);
  const fix = `download it yourself to ${dest}, or set AICONFIG_MODELS_DIR to a folder that has it`;
  await mkdir(dirname(dest), { recursive: true });
  const temp = join(dirname(dest), `.${name}.${process.pid}.${randomBytes(4).toString("hex")}.part`);
  const progressStream = options.progress ?? process.stderr;
  let response: Response;
  try {
    // Core's providerFetch: a stall fails after stallTimeout, a body beyond the expected size is cut off, the URL is named on faults.
    const guarded = providerFetch({
      service: "the model download",
      timeout: options.stallTimeout ?? 60_000,
      maxRetries: 0,
      maxResponseBytes: options.bytes ?? Number.MAX_SAFE_INTEGER,
    });
    response = await guarded(url, { signal: options.signal ?? null, redirect: "follow" });
  } catch (error) {
    options.signal?.throwIfAborted();
    // A connection fault keeps fetch's own words (the URL is in this message already).
    const cause = ProviderResponseError.isInstance(error) && error.kind === "connection" ? error.cause : error;
    throw new ModelDownloadError(url, `cannot download ${name} from ${url}: ${(cause as Error).message}; ${fix}`, { cause: error });
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    throw new ModelDownloadError(url, `cannot download ${name} from ${url}: HTTP ${response.status} ${response.statusText}; ${fix}`);
  }
  const length = Number(response.headers.get("content-length") ?? "") || options.bytes || 0;
  progressStream.write(`downloading ${name} (${length ? `${(length / 1e6).toFixed(1)} MB` : "size unknown"}) from ${url} to ${dest}\n`);
  const progress = createProgress(name, length, progressStream);
  const hash = createHash("sha256");
  const out = createWriteStream(temp, { flags: "wx" });
  let received = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      received += chunk.byteLength;
      if (!out.write(chunk)) await once(out, "drain");
      progress.update(received);
    }
    out.end();
    await once(out, "close");
    progress.done();
    if (options.bytes !== undefined && received !== options.bytes) {
      throw new ModelDownloadError(
        url,
        `downloaded ${name} from ${url} has ${received} bytes, expected ${options.bytes}; the file was deleted; ${fix}`,
      );
    }
    const digest = hash.digest("hex");
    if (options.sha256 !== undefined && digest !== options.sha256.toLowerCase()) {
      throw new ModelDownloadError(
        url,
        `downloaded ${name} from ${url} has sha256 ${digest}, expected ${options.sha256}; the file was deleted; ${fix}`,
      );
    }
    await rename(temp, dest);
    return dest;
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    options.signal?.throwIfAborted();
    if (error instanceof ModelDownloadError) throw error;
    throw new ModelDownloadError(url, `cannot download ${name} from ${url}: ${(error as Error).message}; ${fix}`, { cause: error });
  }
}

/** What {@link ensureDefaultModel} needs (all optional). */
export interface EnsureDefaultModelOptions {
  /** Folder to look in and download to; default {@link modelsDir}(env). */
  dir?: string;
  /** Environment: `AICONFIG_MODELS_DIR`, `AICONFIG_MODEL_URL_BASE`, `XDG_CACHE_HOME`. Default `process.env`. */
  env?: Env;
  /** URL folder to download from instead of the pinned Hugging Face revision (wins over `AICONFIG_MODEL_URL_BASE`). */
  urlBase?: string;
  /** Cancels the download. */
  signal?: AbortSignal;
  /** Where progress goes; default `process.stderr`. */
  progress?: ProgressStream;
}

const inFlight = new Map<string, Promise<string>>();

/**
 * The path of the default model ({@link DEFAULT_MODEL}, `stories260K.gguf`),
 * downloading it first when it is not in the folder. The URL is
 * `urlBase` (or env `AICONFIG_MODEL_URL_BASE`, or the pinned Hugging Face
 * revision) plus `/tinyllamas/stories260K.gguf`; the file's size and sha256
 * are checked. Concurrent calls in one process share one download.
 * @returns the absolute path of the file
 * @throws {ModelDownloadError} when it cannot be downloaded or does not match.
 */
export async function ensureDefaultModel(options: EnsureDefaultModelOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const dest = join(options.dir ?? modelsDir(env), DEFAULT_MODEL.file);
  try {
    if ((await stat(dest)).isFile()) return dest;
  } catch {
    // not there: download it
  }
  const pending = inFlight.get(dest);
  if (pending) return pending;
  const url = defaultModelUrl(options.urlBase ?? (env["AICONFIG_MODEL_URL_BASE"] || undefined));
  const download = downloadFile({
    url,
    dest,
    sha256: DEFAULT_MODEL.sha256,
    bytes: DEFAULT_MODEL.bytes,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  }).finally(() => inFlight.delete(dest));
  inFlight.set(dest, download);
  return download;
}
