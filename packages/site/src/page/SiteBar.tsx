import type { AIConfig } from "@aiconfig-ts/core";
import { CopyBarControls, KeyRow, type NotebookBarProps, ShareLinkBanner, ShareLinkField, downloadText } from "@aiconfig-ts/editor/ui";
import { memo, useEffect, useMemo, useState } from "react";
import { type KeysStore, SITE_KEYS } from "./keys-store";
import { notebookWithoutKeys } from "./notebook-without-keys";
import { SHARE_LINK_LIMIT, shareLink } from "./share-link";
import { taskSummary } from "./task-summary";

/** Props of {@link SiteBar}: the notebook's bar props and the site's own. */
export interface SiteBarProps extends NotebookBarProps {
  keys: KeysStore;
  /** Whether this page shows a shared notebook (read-only). */
  shared: boolean;
  /** Makes the shown shared notebook the visitor's own editable copy. */
  onOpenCopy(config: AIConfig): void;
  /** Drops the visitor's edits and shows the site's notebook again. */
  onStartOver(): void;
  /** Reads an opened file into a checked document. @throws Error with a one-line message */
  parseFile(name: string, text: string): AIConfig;
}

function withExtension(fileName: string, format: "json" | "yaml"): string {
  const base = fileName.replace(/\.(json|ya?ml)$/i, "");
  return `${base}.${format === "json" ? "json" : "yaml"}`;
}

/**
 * The static site's bar (in place of the hosted notebook's): where the tasks
 * run (in the browser, or with a key), the visitor's keys (kept in the tab,
 * remembered on the device only when asked), download, open, share in the
 * link; on a shared notebook, "Open a copy". Edits are kept in the tab as
 * they happen.
 */
export const SiteBar = memo(function SiteBar(p: SiteBarProps) {
  const [keysOpen, setKeysOpen] = useState(false);
  const [keysVersion, setKeysVersion] = useState(0);
  const [shared, setShared] = useState<{ url?: string; length: number }>();
  const { dirty, save, shared: isShared } = p;
  const summary = useMemo(() => taskSummary(p.meta.providers), [p.meta.providers]);

  // edits live in the tab: store them shortly after they happen
  useEffect(() => {
    if (!dirty || isShared) return;
    const t = setTimeout(() => void save(), 600);
    return () => clearTimeout(t);
  }, [dirty, save, isShared]);

  const fail = (e: unknown) => p.notify(e instanceof Error ? e.message : String(e), "error");
  const clean = () => notebookWithoutKeys(p.doc, Object.values(p.keys.all()));

  const where = (
    <span className="site-tasks" data-testid="site-tasks">
      {summary.inBrowser.length > 0 && (
        <span data-runs="browser">
          Runs in your browser: {summary.inBrowser.map((l) => `${l.label} (${l.by.join(", ")})`).join("; ")}.{" "}
        </span>
      )}
      {summary.withKey.length > 0 && (
        <span data-runs="key">Needs your key: {summary.withKey.map((l) => `${l.label} (${l.by.join(" or ")})`).join("; ")}.</span>
      )}
    </span>
  );

  if (isShared) {
    return (
      <div className="banner info hosted-bar" role="status" data-site="shared">
        <span className="banner-message">A shared notebook, read-only, as it was when it was shared. {where}</span>
        <button type="button" className="button primary" onClick={() => p.onOpenCopy(p.doc)}>
          Open a copy
        </button>
      </div>
    );
  }

  const download = async (format: "json" | "yaml") => {
    try {
      const text = await p.api.serialize(clean(), format);
      downloadText(withExtension(p.meta.fileName, format), text, format === "json" ? "application/json" : "application/yaml");
    } catch (e) {
      fail(e);
    }
  };
  const share = async () => {
    try {
      setShared(await shareLink(location.href, clean()));
    } catch (e) {
      fail(e);
    }
  };
  const openFile = async (file: File) => {
    try {
      p.onOpen(p.parseFile(file.name, await file.text()));
      p.notify(`Opened ${file.name} in this tab.`);
    } catch (e) {
      fail(e);
    }
  };
  const saveKeys = async (form: HTMLFormElement) => {
    const remember = (form.elements.namedItem("remember") as HTMLInputElement | null)?.checked === true;
    for (const k of SITE_KEYS) {
      const input = form.elements.namedItem(k.env) as HTMLInputElement | null;
      if (input?.value) p.keys.set(k.env, input.value.trim(), remember);
      if (input) input.value = "";
    }
    setKeysOpen(false);
    setKeysVersion((v) => v + 1);
    // the pickers read which keys are set from the state; the backend, its document and the runs going stay
    // (runs read the keys when they start, so a new key applies to the next run)
    await p.refreshState();
  };
  const forget = async (env: string) => {
    p.keys.forget(env);
    setKeysVersion((v) => v + 1);
    await p.refreshState();
  };
  void keysVersion;
  const setCount = SITE_KEYS.filter((k) => p.keys.get(k.env)).length;

  return (
    <div className="hosted" data-site="copy">
      <div className="banner info hosted-bar" role="status">
        <CopyBarControls
          message={
            <>
              This notebook runs in your browser: your edits, runs and keys stay in this tab (nothing goes to the site's host). {where} To
              keep your edits, download the notebook.
            </>
          }
          onDownload={(format) => void download(format)}
          onOpenFile={(file) => void openFile(file)}
          onShare={() => void share()}
          keysSet={setCount}
          keysOpen={keysOpen}
          onToggleKeys={() => setKeysOpen((v) => !v)}
          startOverTo="the site's notebook"
          onStartOver={p.onStartOver}
        />
      </div>
      {shared && (
        <ShareLinkBanner onDismiss={() => setShared(undefined)}>
          {shared.url ? (
            <>
              <span className="banner-message">
                Read-only link to this notebook with its outputs (the notebook is inside the link, after #, which browsers never send to the
                host; your keys are not in it):
              </span>
              <ShareLinkField url={shared.url} />
            </>
          ) : (
            <>
              <span className="banner-message">
                This notebook is too large to share in a link ({shared.length.toLocaleString("en")} characters; links hold up to{" "}
                {SHARE_LINK_LIMIT.toLocaleString("en")}): download it and send the file instead (it opens here with Open file…).
              </span>
              <button type="button" className="button" onClick={() => void download("json")}>
                ⤓ Download JSON
              </button>
            </>
          )}
        </ShareLinkBanner>
      )}
      {keysOpen && (
        <form
          className="keys-panel"
          aria-label="keys"
          onSubmit={(e) => {
            e.preventDefault();
            void saveKeys(e.currentTarget);
          }}
        >
          <p>
            Keys stay in this tab (gone when you close it), are sent only to their provider's own endpoint, and are never put in a link, a
            download or a share. Tasks that run in your browser need no key.
          </p>
          {SITE_KEYS.map((k) => {
            const set = Boolean(p.keys.get(k.env));
            return <KeyRow key={k.env} env={k.env} label={k.label} set={set} onForget={() => void forget(k.env)} />;
          })}
          <label className="toggle small">
            <input type="checkbox" name="remember" /> remember on this device (kept in this browser's storage until you forget it)
          </label>
          <button type="submit" className="button primary">
            Keep keys
          </button>
        </form>
      )}
    </div>
  );
});
