import type { AIConfig } from "@aiconfig-ts/core";
import { memo, useEffect, useState } from "react";
import type { HostedState } from "../../../src/api-types";
import type { EditorApi } from "../api-client";
import { CopyBarControls, KeyRow, ShareLinkBanner, ShareLinkField } from "./CopyBar";

/** Keys shown at once in the keys panel (the server lists the Hugging Face, OpenAI, Anthropic and Gemini keys first); the others fold under "Other services". */
const MAIN_KEYS = 4;

/** Props of {@link HostedBar}. */
export interface HostedBarProps {
  hosted: HostedState;
  api: EditorApi;
  /** Whether the page holds edits the session has not stored yet. */
  dirty: boolean;
  /**
   * Whether runs are going: the server stores their outputs into the session as each prompt ends, so the page
   * stores nothing meanwhile (a save sent before an output reached the page would overwrite it).
   */
  busy?: boolean;
  /** Stores the page's notebook in the session. */
  save(): Promise<void>;
  /** Replaces the page's notebook (an opened file, a reset). */
  onOpen(config: AIConfig): void;
  notify(message: string, kind?: "error" | "info"): void;
  /** Called after a key is kept or forgotten, so the pickers re-read which keys are set (the runs going stay). */
  onKeysChanged?(): void;
}

async function call<T>(api: EditorApi, path: string, method: string, body?: unknown): Promise<T> {
  const res = await fetch(api.url(path), {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const data = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new Error(data.error ?? `${res.status} ${res.statusText}`);
  return data;
}

function hours(ms: number): string {
  return ms >= 3_600_000 ? `${Math.round((ms / 3_600_000) * 10) / 10} h` : `${Math.round(ms / 60_000)} min`;
}

/**
 * The hosted notebook's bar (`aiconfig serve`): says whose copy this is and
 * how to keep it, and holds download, open, share, keys and start over; on
 * a shared snapshot, "Open a copy". (Task-first cells come from the
 * notebook's own task picker, which reads whose keys are set from the state.) Stores the page's
 * edits in the session as they happen.
 */
export const HostedBar = memo(function HostedBar(p: HostedBarProps) {
  const [keys, setKeys] = useState(p.hosted.keys);
  const [keysOpen, setKeysOpen] = useState(false);
  const [shared, setShared] = useState<string>();
  const { dirty, save, busy } = p;

  // edits live in the session: store them shortly after they happen (after the runs going, whose outputs the server stores)
  useEffect(() => {
    if (!dirty || busy || p.hosted.mode !== "session") return;
    const t = setTimeout(() => void save(), 600);
    return () => clearTimeout(t);
  }, [dirty, busy, save, p.hosted.mode]);

  const fail = (e: unknown) => p.notify(e instanceof Error ? e.message : String(e), "error");

  if (p.hosted.mode === "snapshot") {
    return (
      <div className="banner info hosted-bar" role="status" data-hosted="snapshot">
        <span className="banner-message">A shared notebook, read-only, with the outputs it had when it was shared.</span>
        <button
          type="button"
          className="button primary"
          onClick={() =>
            call<{ location: string }>(p.api, "api/copy", "POST", {}).then((r) => {
              location.href = r.location;
            }, fail)
          }
        >
          Open a copy
        </button>
      </div>
    );
  }

  const download = async (format: "json" | "yaml") => {
    if (dirty) await save();
    const a = document.createElement("a");
    a.href = p.api.url(`api/download?format=${format}`);
    a.download = "";
    document.body.append(a);
    a.click();
    a.remove();
  };
  const share = async () => {
    try {
      if (dirty) await save();
      const r = await call<{ url: string }>(p.api, "api/share", "POST", {});
      setShared(r.url);
    } catch (e) {
      fail(e);
    }
  };
  const openFile = async (file: File) => {
    try {
      const r = await call<{ config: AIConfig }>(p.api, "api/open", "POST", { name: file.name, text: await file.text() });
      p.onOpen(r.config);
      p.notify(`Opened ${file.name} in this session.`);
    } catch (e) {
      fail(e);
    }
  };
  const saveKeys = async (form: HTMLFormElement) => {
    const body: Record<string, string | null> = {};
    for (const k of keys) {
      const input = form.elements.namedItem(k.env) as HTMLInputElement | null;
      if (input?.value) body[k.env] = input.value;
      if (input) input.value = "";
    }
    try {
      setKeys(await call<HostedState["keys"]>(p.api, "api/keys", "PUT", body));
      setKeysOpen(false);
      p.notify("Keys kept for this session.");
      p.onKeysChanged?.();
    } catch (e) {
      fail(e);
    }
  };
  const forget = async (env: string) => {
    try {
      setKeys(await call<HostedState["keys"]>(p.api, "api/keys", "PUT", { [env]: null }));
      p.onKeysChanged?.();
    } catch (e) {
      fail(e);
    }
  };
  const setCount = keys.filter((k) => k.set).length;
  const keyRow = (k: HostedState["keys"][number]) => (
    <KeyRow key={k.env} env={k.env} label={k.label} set={k.set} onForget={() => void forget(k.env)} />
  );

  return (
    <div className="hosted" data-hosted="session">
      <div className="banner info hosted-bar" role="status">
        <CopyBarControls
          message={
            <>
              This is your own copy of the notebook: edits, runs and keys live only in this session (it ends after{" "}
              {hours(p.hosted.sessionTtlMs)} without use) and never change the owner's file. To keep your edits, download the notebook.
            </>
          }
          onDownload={(format) => void download(format)}
          onOpenFile={(file) => void openFile(file)}
          {...(p.hosted.share ? { onShare: () => void share() } : {})}
          keysSet={setCount}
          keysOpen={keysOpen}
          onToggleKeys={() => setKeysOpen((v) => !v)}
          startOverTo="the owner's notebook"
          onStartOver={() => call<{ config: AIConfig }>(p.api, "api/reset", "POST", {}).then((r) => p.onOpen(r.config), fail)}
        />
      </div>
      {shared && (
        <ShareLinkBanner onDismiss={() => setShared(undefined)}>
          <span className="banner-message">Read-only link to this notebook with its outputs (your keys are not in it):</span>
          <ShareLinkField url={shared} />
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
            Keys are kept for this session only, used only for your runs, and never shown again, saved in a file, a download or a share.{" "}
            {p.hosted.ownerKeys ? "Without a key of your own, runs use the owner's keys." : "Offline models run without a key."}
          </p>
          {keys.slice(0, MAIN_KEYS).map(keyRow)}
          {keys.length > MAIN_KEYS && (
            <details className="more-keys" open={keys.slice(MAIN_KEYS).some((k) => k.set)}>
              <summary>Other services ({keys.length - MAIN_KEYS})</summary>
              {keys.slice(MAIN_KEYS).map(keyRow)}
            </details>
          )}
          <button type="submit" className="button primary">
            Keep keys for this session
          </button>
        </form>
      )}
    </div>
  );
});
