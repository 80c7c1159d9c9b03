/**
 * What the bars of a visitor's copy of a notebook share: the hosted
 * notebook's (`HostedBar`, `aiconfig serve`) and the static site's
 * (`SiteBar` in `@aiconfig-ts/site`). Each bar says where the copy lives and
 * what its keys do; the controls and a key's row are the same in both.
 */
import { type ReactNode, useRef } from "react";

/** Props of {@link CopyBarControls}. */
export interface CopyBarControlsProps {
  /** The bar's sentence: whose copy this is, where it lives and how to keep it. */
  message: ReactNode;
  /** Downloads the notebook as JSON or YAML. */
  onDownload(format: "json" | "yaml"): void;
  /** Opens a picked aiconfig file (`.json`, `.yaml`, `.yml`) in place of the notebook. */
  onOpenFile(file: File): void;
  /** Makes a share link; absent when sharing is off (no Share button). */
  onShare?: () => void;
  /** How many keys are set (shown on the Keys button). */
  keysSet: number;
  /** Whether the keys panel is open. */
  keysOpen: boolean;
  onToggleKeys(): void;
  /** Whose notebook Start over goes back to, e.g. "the owner's notebook". */
  startOverTo: string;
  /** Drops the visitor's edits and outputs (asked first). */
  onStartOver(): void;
}

/**
 * The bar's sentence and its buttons: ⤓ Download JSON, ⤓ YAML, Open file…,
 * Share, Keys (N) and Start over (confirmed in a dialog).
 */
export function CopyBarControls(p: CopyBarControlsProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <>
      <span className="banner-message">{p.message}</span>
      <button type="button" className="button" onClick={() => p.onDownload("json")}>
        ⤓ Download JSON
      </button>
      <button type="button" className="button" onClick={() => p.onDownload("yaml")}>
        ⤓ YAML
      </button>
      <button type="button" className="button" onClick={() => fileInput.current?.click()}>
        Open file…
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,.yaml,.yml,application/json,application/yaml"
        hidden
        aria-label="open an aiconfig file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = "";
          if (f) p.onOpenFile(f);
        }}
      />
      {p.onShare && (
        <button type="button" className="button" onClick={p.onShare}>
          Share
        </button>
      )}
      <button type="button" className="button" aria-expanded={p.keysOpen} onClick={p.onToggleKeys}>
        Keys{p.keysSet ? ` (${p.keysSet})` : ""}
      </button>
      <button
        type="button"
        className="button"
        title={`Drop your edits and start again from ${p.startOverTo}`}
        onClick={() => window.confirm(`Drop your edits and outputs and start again from ${p.startOverTo}?`) && p.onStartOver()}
      >
        Start over
      </button>
    </>
  );
}

/** Props of {@link KeyRow}. */
export interface KeyRowProps {
  /** The environment variable name of the key, e.g. `OPENAI_API_KEY` (the input's name). */
  env: string;
  /** The service's name, e.g. "OpenAI". */
  label: string;
  /** Whether a key is set (its value is never shown). */
  set: boolean;
  /** Forgets the key. */
  onForget(): void;
}

/** One key in a keys panel: a password input named after the variable, and Forget when a key is set. */
export function KeyRow(p: KeyRowProps) {
  return (
    <label className="key-row">
      <span>{p.label}</span>
      <input name={p.env} type="password" autoComplete="off" placeholder={p.set ? "set (enter a new one to replace it)" : p.env} />
      {p.set && (
        <button type="button" className="button" onClick={p.onForget}>
          Forget
        </button>
      )}
    </label>
  );
}

/** The banner under a bar that holds a share link (or says why there is none), with a dismiss button. */
export function ShareLinkBanner(p: { children: ReactNode; onDismiss(): void }) {
  return (
    <div className="banner info share-link" role="status">
      {p.children}
      <button type="button" className="icon-button" aria-label="dismiss" onClick={p.onDismiss}>
        ×
      </button>
    </div>
  );
}

/** A share link, selected on focus, and a button that copies it to the clipboard. */
export function ShareLinkField(p: { url: string }) {
  return (
    <>
      <input readOnly value={p.url} aria-label="share link" onFocus={(e) => e.target.select()} />
      <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(p.url).catch(() => {})}>
        Copy link
      </button>
    </>
  );
}
