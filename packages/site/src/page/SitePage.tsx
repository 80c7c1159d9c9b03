import { type AIConfig, formatProblem, ProviderRegistry, parseConfigText, validateConfig } from "@aiconfig-ts/core";
import { createMemoryNotebook, createNotebookRoutes, type NotebookEnv, provideNotebook } from "@aiconfig-ts/editor/routes";
import { AIConfigNotebook, type EditorState, type HostedState } from "@aiconfig-ts/editor/ui";
import { Hono } from "hono";
import { useCallback, useEffect, useMemo, useState } from "react";
import { registerOfflineProviders } from "../offline/register-offline-providers";
import type { SiteManifest } from "../site-manifest";
import { registerKeyProviders } from "./key-providers";
import { KeysStore, SITE_KEYS } from "./keys-store";
import { isShareFragment, readShareFragment } from "./share-link";
import { SiteBar } from "./SiteBar";
import { readSiteFile } from "./site-files";

/** Props of {@link SitePage}. */
export interface SitePageProps {
  /** The site's base URL (ends with "/"): where `site.json` and the aiconfig are. */
  siteRoot: string;
}

/**
 * Where the page keeps the visitor's copy of the notebook in the tab (edits survive a reload, not the tab),
 * per site folder: several sites on one origin (`USER.github.io/a/`, `/b/`) keep their own copies.
 */
const TAB_NOTEBOOK = `aiconfig-site-notebook:${location.pathname.replace(/[^/]*$/, "")}`;

/** What the page shows: the site's notebook (or the visitor's copy of it in this tab), or a shared one. */
interface Loaded {
  /** Counts loads, so that a new notebook remounts the editor. */
  id: number;
  manifest: SiteManifest;
  config: AIConfig;
  fileName: string;
  shared: boolean;
}

function checked(data: unknown, file: string): AIConfig {
  const problems = validateConfig(data, undefined, file);
  if (problems.length) throw new Error(formatProblem(problems[0]!));
  return data as AIConfig;
}

/** Reads an opened or fetched file into a checked document. @throws Error with one line naming the file and the place */
function parseFile(name: string, text: string): AIConfig {
  const doc = parseConfigText(text, name);
  return checked(doc.data, name);
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${new URL(url).pathname} could not be loaded (${res.status})`);
  return res.text();
}

function readTabNotebook(): { config: AIConfig; fileName: string } | undefined {
  try {
    const text = sessionStorage.getItem(TAB_NOTEBOOK);
    return text ? (JSON.parse(text) as { config: AIConfig; fileName: string }) : undefined;
  } catch {
    return undefined;
  }
}

function keepTabNotebook(config: AIConfig | undefined, fileName: string): void {
  try {
    if (config) sessionStorage.setItem(TAB_NOTEBOOK, JSON.stringify({ config, fileName }));
    else sessionStorage.removeItem(TAB_NOTEBOOK);
  } catch {
    // storage unavailable or full: the copy lasts as long as the page
  }
}

let loads = 0;

async function load(siteRoot: string): Promise<Loaded> {
  const id = ++loads;
  const manifest = JSON.parse(await fetchText(new URL("site.json", siteRoot).toString())) as SiteManifest;
  if (isShareFragment(location.hash)) {
    const config = checked(await readShareFragment(location.hash), "the shared notebook");
    return { id, manifest, config, fileName: manifest.notebook, shared: true };
  }
  const tab = readTabNotebook();
  if (tab) return { id, manifest, ...tab, shared: false };
  const fileName = manifest.notebook;
  // attachments and outputs stay references to the site's files (read when a run needs them)
  const config = parseFile(fileName, await fetchText(new URL(fileName, siteRoot).toString()));
  return { id, manifest, config, fileName, shared: false };
}

/**
 * The static notebook page: the editor's `AIConfigNotebook` over the editor's
 * routes answering in the page (`createNotebookRoutes()` over
 * `createMemoryNotebook`), with the key-based providers (the visitor's keys)
 * and the in-browser offline providers, and the site's bar.
 */
export function SitePage({ siteRoot }: SitePageProps) {
  const keys = useMemo(() => new KeysStore(), []);
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    load(siteRoot).then(setLoaded, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [siteRoot]);

  const registry = useMemo(() => {
    if (!loaded) return undefined;
    const r = new ProviderRegistry();
    registerKeyProviders(r);
    registerOfflineProviders(r, loaded.manifest, siteRoot);
    return r;
  }, [loaded, siteRoot]);

  const fetchFn = useMemo(() => {
    if (!loaded || !registry) return undefined;
    const { fileName, shared } = loaded;
    const notebook = createMemoryNotebook({
      config: loaded.config,
      fileName,
      registry,
      environment: () => keys.all(),
      readOnly: shared,
      onSave: (config) => keepTabNotebook(config, fileName),
      readFile: (path) => readSiteFile(path, siteRoot),
    });
    const app = new Hono<NotebookEnv>().use("*", provideNotebook(notebook)).route("/", createNotebookRoutes());
    const hosted = (): HostedState => ({
      mode: shared ? "snapshot" : "session",
      sessionTtlMs: 0,
      keys: SITE_KEYS.map((k) => ({ env: k.env, label: k.label, set: Boolean(keys.get(k.env)) })),
      ownerKeys: false,
      share: true,
    });
    return async (request: Request): Promise<Response> => {
      const res = await app.fetch(request);
      if (new URL(request.url).pathname !== "/api/state" || !res.ok) return res;
      const state = (await res.json()) as EditorState;
      return Response.json({ ...state, hosted: hosted() } satisfies EditorState);
    };
  }, [loaded, registry, keys, siteRoot]);

  const openCopy = useCallback(
    (config: AIConfig) => {
      if (!loaded) return;
      keepTabNotebook(config, loaded.fileName);
      history.replaceState(null, "", location.pathname + location.search);
      setLoaded({ ...loaded, id: ++loads, config, shared: false });
    },
    [loaded],
  );
  const startOver = useCallback(() => {
    keepTabNotebook(undefined, "");
    setLoaded(undefined);
    load(siteRoot).then(setLoaded, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [siteRoot]);

  if (error)
    return (
      <div className="aiw">
        <div className="banner error">Cannot load the notebook: {error}</div>
      </div>
    );
  if (!loaded || !fetchFn)
    return (
      <div className="aiw">
        <div className="loading">Loading…</div>
      </div>
    );
  return (
    <AIConfigNotebook
      key={loaded.id}
      fetch={fetchFn}
      bar={(p) => <SiteBar {...p} keys={keys} shared={loaded.shared} onOpenCopy={openCopy} onStartOver={startOver} parseFile={parseFile} />}
    />
  );
}
