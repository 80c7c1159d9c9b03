/**
 * `aiconfig edit FILE`: loads (or creates) the file, registers providers,
 * serves the editor on 127.0.0.1 behind a random token and opens the browser.
 *
 * @packageDocumentation
 */
import { existsSync, mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { basename, dirname, resolve } from "node:path";
import {
  AIConfigRuntime,
  chooseProvidersModule,
  type ProviderRegistry,
  defaultRegistry,
  formatForPath,
  serializeConfig,
  writeFileAtomic,
} from "@aiconfig-ts/core";
import type { OutputFilesMode } from "./large-outputs.js";
import { type HostPolicy, generateToken, hostPolicyFor } from "./auth.js";
import { createEditorApp } from "./create-editor-app.js";
import { listenFailure } from "./listen-failure.js";
import { loadProvidersModule } from "./load-providers-module.js";
import { openBrowser } from "./open-browser.js";

/** Options of {@link startEditor}. */
export interface StartEditorOptions {
  /** The aiconfig file (JSON or YAML by extension); created with one empty prompt when missing (unless `readOnly`). */
  file: string;
  /** Port; default 0 (any free port). */
  port?: number;
  /** Address to listen on; default `127.0.0.1`. `0.0.0.0` listens on every interface (the token is then the only guard). */
  host?: string;
  /** Open the browser on the URL. Default `true`. */
  open?: boolean;
  /** Serve without editing, saving or running. Default `false`. */
  readOnly?: boolean;
  /**
   * A module that registers extra providers (see `loadProvidersModule`).
   * Default: `aiconfig.providers.{js,mjs,ts}` beside the file, when present
   * (never when `readOnly`: a read-only view imports no code found beside the file).
   */
  providersModule?: string;
  /** Registry the runtime uses (default: a new one whose parent is core's `defaultRegistry`). */
  registry?: ProviderRegistry;
  /** A runtime to serve instead of loading `file` (its registry is used; `registry` is ignored). */
  runtime?: AIConfigRuntime;
  /** Token to require (default: a new random one). */
  token?: string;
  /**
   * Binary outputs as files beside the aiconfig file (`STEM.outputs/`, as the
   * CLI's `--output-files`): always (`true`), never (`false`), or when larger
   * than 256 KiB (`"large"`, the default).
   */
  outputFiles?: OutputFilesMode;
  /** Called with the message when the browser cannot be opened. Default: write it to stderr. */
  onOpenError?: (message: string) => void;
}

/** A running editor. */
export interface RunningEditor {
  /** The URL to open, with the token: `http://127.0.0.1:PORT/?token=...`. */
  url: string;
  /** Every URL it answers on (for a wildcard host, one per interface address), with the token. */
  urls: string[];
  /** The address the server is bound to, as the socket reports it (`127.0.0.1`, `0.0.0.0`, `::1`). */
  address: string;
  /** One line to show when it listens on every interface (the token is then the only guard). */
  warning?: string;
  token: string;
  port: number;
  /** The runtime it serves (its `config` is the last saved document). */
  runtime: AIConfigRuntime;
  /** Stops the server (runs in progress are cancelled). */
  close(): Promise<void>;
}

/**
 * The model a new file starts with: the first model of a registered provider
 * that generates text offline (no network, no key), e.g. `stories260K`.
 * @returns `undefined` when no such provider is registered
 */
export function offlineDefaultModel(registry: ProviderRegistry | undefined): string | undefined {
  for (const p of registry?.list() ?? []) {
    const caps = p.capabilities;
    if (caps?.offline && !caps.retired && (caps.tasks.includes("text-generation") || caps.tasks.includes("chat")) && caps.models?.[0])
      return caps.models[0];
  }
  return undefined;
}

/**
 * The document of a new file: one empty prompt, named after the file, on the
 * offline default model when `registry` has one ({@link offlineDefaultModel}).
 */
export function newConfigDocument(file: string, registry?: ProviderRegistry) {
  const name = basename(file).replace(/(\.aiconfig)?\.(json|ya?ml)$/i, "");
  const model = offlineDefaultModel(registry);
  return AIConfigRuntime.create(name, "", "latest", model ? { default_model: model } : {}, [
    { name: "prompt_1", input: "", metadata: { parameters: {} } },
  ]).config;
}

/** The addresses of this machine's interfaces, loopback first (IPv6 ones too when `ipv6`), as URL hosts. */
function listeningAddresses(ipv6: boolean): string[] {
  const out = ["127.0.0.1"];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === "IPv4" && a.address !== "127.0.0.1") out.push(a.address);
      else if (ipv6 && a.family === "IPv6" && !a.address.startsWith("fe80")) out.push(`[${a.address}]`);
    }
  }
  return [...new Set(out)];
}

/**
 * Starts the editor's server for a file.
 * @returns the URL (with the token) and a `close()` function
 * @throws {ParseError} | {ValidationError} when the file is not a valid aiconfig
 * @throws {ProvidersModuleError} naming a providers module that fails
 * @throws {UiNotBuiltError} when the web UI is not built
 * @throws the listening error (e.g. `EADDRINUSE`) with the address in its message
 */
export async function startEditor(options: StartEditorOptions): Promise<RunningEditor> {
  const file = resolve(options.file);
  let runtime = options.runtime;
  if (!runtime) {
    if (!existsSync(file)) {
      if (options.readOnly) throw new Error(`${file} does not exist: nothing to show read-only`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, serializeConfig(newConfigDocument(file, options.registry ?? defaultRegistry), formatForPath(file)));
    }
    runtime = AIConfigRuntime.load(file, { registry: options.registry ?? undefined });
    // Code beside the file runs only when named or its folder is trusted; a read-only view never imports it.
    const choice = chooseProvidersModule(file, { named: options.providersModule, runsCode: !options.readOnly });
    if (choice.notice) process.stderr.write(`${choice.notice}\n`);
    if (choice.module) await loadProvidersModule(choice.module, runtime.registry);
  } else if (options.providersModule) {
    await loadProvidersModule(options.providersModule, runtime.registry);
  }
  const token = options.token ?? generateToken();
  const host = options.host ?? "127.0.0.1";
  let policy: HostPolicy = { hosts: new Set() };
  const editor = createEditorApp(runtime, {
    token,
    file,
    readOnly: options.readOnly === true,
    outputFiles: options.outputFiles ?? "large",
    hostPolicy: () => policy,
  });
  const { serve } = await import("@hono/node-server");
  const server = await new Promise<ReturnType<typeof serve>>((resolveServer, reject) => {
    const s = serve({ fetch: editor.fetch, port: options.port ?? 0, hostname: host }, () => resolveServer(s));
    s.once("error", (e: NodeJS.ErrnoException) =>
      reject(new Error(listenFailure(host, options.port ?? 0, e, "or leave --port out for a free one"), { cause: e })),
    );
  });
  const port = (server.address() as AddressInfo).port;
  policy = hostPolicyFor(host, port);
  const bound = (server.address() as AddressInfo).address;
  const wildcard = bound === "0.0.0.0" || bound === "::";
  const urlHost = wildcard ? "127.0.0.1" : bound.includes(":") ? `[${bound}]` : bound;
  const url = `http://${urlHost}:${port}/?token=${token}`;
  const addresses = wildcard ? listeningAddresses(bound === "::") : [urlHost];
  const urls = addresses.map((a) => `http://${a}:${port}/?token=${token}`);
  if (options.open !== false) {
    const problem = await openBrowser(url);
    if (problem) (options.onOpenError ?? ((m: string) => process.stderr.write(`${m}\n`)))(problem);
  }
  return {
    url,
    urls,
    address: bound,
    ...(wildcard
      ? {
          warning: `the editor listens on every network interface (${bound}): anyone who can reach this machine and has the token can edit, save and run with your keys; use --host 127.0.0.1 unless you mean it`,
        }
      : {}),
    token,
    port,
    runtime,
    close: () =>
      new Promise<void>((resolveClose) => {
        editor.cancelAll();
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolveClose());
      }),
  };
}
