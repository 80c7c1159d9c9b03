/**
 * `aiconfig serve FILE`: the hosted notebook (a Gradio Notebook for any Node
 * host). Every visitor gets their own copy of FILE, runs it with their own
 * keys, downloads and shares it; FILE is read once and never written.
 * The server package (`@aiconfig-ts/server`) is an optional peer, loaded only
 * by this command's action (this module imports only commander, for start-up).
 */
import { type Command, Option } from "commander";
import { repeatable } from "../repeatable-option.js";
import { UsageError } from "../usage-error.js";

/** Options of {@link serveCommand}, as commander parses them. */
export interface ServeOptions {
  port: number;
  host: string;
  providers?: string;
  store?: string;
  shareOwnerKeys?: boolean;
  maxSessions: number;
  maxMemory: string;
  sessionTtl: string;
  allowEmbed: string[];
  basePath?: string;
  share: boolean;
  metrics?: boolean;
  localQueue: number;
}

function positiveInt(flag: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} ${v}: must be a whole number from ${min} to ${max}`);
    return n;
  };
}

function origin(v: string): string {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new UsageError(`--allow-embed ${v}: expected an origin such as https://site.example`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new UsageError(`--allow-embed ${v}: expected an http(s) origin such as https://site.example`);
  return url.origin;
}

/** Adds `serve` to the program; its action sets `result.code`. */
export function registerServeCommand(cli: Command, result: { code: number }): void {
  cli
    .command("serve")
    .description(
      "Serve FILE as a hosted notebook: every visitor edits and runs their own copy with their own keys, downloads it and shares read-only links (FILE is never written).",
    )
    .argument("<file>", "aiconfig file (read once)")
    .addOption(new Option("--port <n>", "port to listen on").argParser(positiveInt("--port", 0, 65535)).default(7860))
    .option("--host <host>", "address to listen on (0.0.0.0: every interface)", "127.0.0.1")
    .option("--providers <module>", "JS/TS module that registers extra providers (never taken from visitors)")
    .option("--store <dir|redis://host:port>", "where sessions and snapshots live (default: .aiconfig-serve/ beside FILE)")
    .option("--share-owner-keys", "let visitors' runs use the keys in this server's environment (only to each provider's own endpoint)")
    .addOption(
      new Option("--max-sessions <n>", "sessions kept at most (the least recently used go first)")
        .argParser(positiveInt("--max-sessions", 1, 10_000_000))
        .default(1000),
    )
    .addOption(
      new Option(
        "--max-memory <size>",
        "what all sessions hold at most: notebooks, outputs and uploaded files (e.g. 256MB, 1GB); past it the least recently used go first",
      ).default("256MB"),
    )
    .addOption(new Option("--session-ttl <duration>", "a session ends after this long without use (e.g. 2h, 30m)").default("2h"))
    .addOption(repeatable("--allow-embed <origin>", "a site that may show the notebook in an iframe (repeatable; none by default)", origin))
    .option("--base-path <path>", "serve under this path, e.g. /notebook (default: the root)")
    .addOption(
      new Option("--local-queue <n>", "runs that may wait for the local model (one runs at a time)")
        .argParser(positiveInt("--local-queue", 0, 100_000))
        .default(32),
    )
    .option("--no-share", "turn sharing of read-only snapshots off")
    .option(
      "--metrics",
      "serve Prometheus metrics at /metrics behind the owner token (AICONFIG_SERVE_OWNER_TOKEN, else printed): sessions, runs, errors, shares, downloads, sessions removed by --session-ttl, --max-sessions or --max-memory, files swept, sessions kept and their bytes",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  aiconfig serve examples/story.aiconfig.json\n  aiconfig serve my_app.aiconfig.json --host 0.0.0.0 --port 7860 --store redis://127.0.0.1:6379",
    )
    .action(async (file: string, opts: ServeOptions) => {
      result.code = await serveCommand(file, opts);
    });
}

/** Runs the hosted notebook until SIGINT/SIGTERM. Returns the exit code. */
export async function serveCommand(file: string, opts: ServeOptions): Promise<number> {
  const basePath = (opts.basePath ?? "").replace(/\/+$/, "");
  if (basePath && !/^\/[A-Za-z0-9._~\-/]*$/.test(basePath))
    throw new UsageError(`--base-path ${opts.basePath}: expected a path such as /notebook`);
  let server: typeof import("@aiconfig-ts/server");
  try {
    server = await import("@aiconfig-ts/server");
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if ((e?.code === "ERR_MODULE_NOT_FOUND" || e?.code === "MODULE_NOT_FOUND") && String(e.message).includes("@aiconfig-ts/server"))
      throw new Error("aiconfig serve needs the hosted notebook, which is not installed: run `npm install @aiconfig-ts/server`");
    throw error;
  }
  const { ProviderRegistry, defaultRegistry, loadProvidersModule } = await import("@aiconfig-ts/core");
  const { registerBuiltinProviders } = await import("../builtin-providers.js");
  const sessionTtlMs = server.parseDuration(opts.sessionTtl);
  if (sessionTtlMs === undefined) throw new UsageError(`--session-ttl ${opts.sessionTtl}: expected a duration such as 2h, 90m or 30s`);
  const maxMemoryBytes = server.parseByteSize(opts.maxMemory);
  if (maxMemoryBytes === undefined) throw new UsageError(`--max-memory ${opts.maxMemory}: expected a size such as 256MB or 1GB`);
  const registry = new ProviderRegistry(defaultRegistry);
  await registerBuiltinProviders(registry);
  if (opts.providers) await loadProvidersModule(opts.providers, registry);
  const running = await server.startNotebookServer({
    file,
    registry,
    port: opts.port,
    host: opts.host,
    ...(opts.store ? { store: opts.store } : {}),
    shareOwnerKeys: opts.shareOwnerKeys === true,
    maxSessions: opts.maxSessions,
    maxMemoryBytes,
    sessionTtlMs,
    allowEmbed: opts.allowEmbed,
    basePath,
    share: opts.share,
    metrics: opts.metrics === true,
    localQueue: { maxWaiting: opts.localQueue },
    ...(process.env.AICONFIG_SERVE_OWNER_TOKEN ? { ownerToken: process.env.AICONFIG_SERVE_OWNER_TOKEN } : {}),
  });
  const lines = [`Hosted notebook for ${file} (visitors get their own copy; the file is never written):`];
  for (const url of running.urls) lines.push(`  ${url}`);
  if (opts.host === "0.0.0.0" || opts.host === "::")
    lines.push("Listening on every interface: anyone who can reach this machine can use it.");
  lines.push(`Sessions and snapshots: ${running.storeDescription}`);
  lines.push(
    `Sessions: at most ${opts.maxSessions}, holding ${opts.maxMemory} in all (the least recently used go first), each ending after ${opts.sessionTtl} without use.`,
  );
  lines.push(
    opts.shareOwnerKeys ? "Visitors' runs may use this server's keys." : "Visitors' runs use only their own keys and offline models.",
  );
  if (opts.metrics && !process.env.AICONFIG_SERVE_OWNER_TOKEN)
    lines.push(`Metrics: ${running.urls[0]}metrics with header "Authorization: Bearer ${running.ownerToken}"`);
  lines.push("Press Ctrl+C to stop.");
  process.stderr.write(`${lines.join("\n")}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await running.close();
  return 0;
}
