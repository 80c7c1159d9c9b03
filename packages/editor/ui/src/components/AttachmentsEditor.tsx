import type { Attachment, StoredData } from "@aiconfig-ts/core";
import { memo, useRef, useState } from "react";
import { useNotebook } from "../notebook-context";
import { storedDataUrl } from "./OutputView";

function isStored(data: unknown): data is StoredData {
  return typeof data === "object" && data !== null && ((data as StoredData).kind === "base64" || (data as StoredData).kind === "file_uri");
}

/** Props of {@link AttachmentsEditor}. */
export interface AttachmentsEditorProps {
  cellId: string;
  attachments: readonly Attachment[];
  onChange(attachments: Attachment[]): void;
  readOnly: boolean;
}

/**
 * The attachments of a multi-modal prompt: previews (image, audio, video, or
 * the path), remove, and add from a local file picker, stored either as a
 * file under the aiconfig file's folder (sent to this editor's server only) or
 * inline as base64.
 */
export const AttachmentsEditor = memo(function AttachmentsEditor({ cellId, attachments, onChange, readOnly }: AttachmentsEditorProps) {
  const { actions, staticPage, inlineAttachmentsOnly } = useNotebook();
  const picker = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useState<"file" | "base64">("file");
  const [busy, setBusy] = useState(false);
  return (
    <div className="attachments">
      {attachments.length === 0 && <div className="muted small">No attachments.</div>}
      {attachments.map((a, i) => {
        const mime = a.mime_type ?? "text/plain";
        const stored = isStored(a.data) ? storedDataUrl(a.data, mime, actions.fileUrl) : undefined;
        // an exported page loads nothing from elsewhere: a remote attachment is a link
        const remote = staticPage && stored !== undefined && /^(https?:)?\/\//i.test(stored);
        const url = remote ? undefined : stored;
        const label = isStored(a.data)
          ? a.data.kind === "file_uri"
            ? a.data.value
            : `inline ${mime}`
          : JSON.stringify(a.data).slice(0, 80);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: attachments have no identity
          <div className="attachment" key={i}>
            {url && mime.startsWith("image/") && <img src={url} alt={label} />}
            {url && mime.startsWith("audio/") && (
              <audio controls src={url}>
                <track kind="captions" />
              </audio>
            )}
            {url && mime.startsWith("video/") && (
              <video controls src={url}>
                <track kind="captions" />
              </video>
            )}
            <span className="attachment-label" title={label}>
              {remote ? (
                <a href={stored} target="_blank" rel="noopener noreferrer nofollow">
                  {label}
                </a>
              ) : (
                label
              )}{" "}
              <span className="muted small">{mime}</span>
            </span>
            {!readOnly && (
              <button
                type="button"
                className="icon-button"
                aria-label={`remove attachment ${i + 1}`}
                onClick={() => onChange(attachments.filter((_, j) => j !== i))}
              >
                ×
              </button>
            )}
          </div>
        );
      })}
      {!readOnly && (
        <div className="attachment-add">
          <button type="button" className="link-button" disabled={busy} onClick={() => picker.current?.click()}>
            + Attach file…
          </button>
          {inlineAttachmentsOnly ? (
            <span className="muted small">stored inline (base64)</span>
          ) : (
            <select aria-label="store attachments as" value={mode} onChange={(e) => setMode(e.target.value as "file" | "base64")}>
              <option value="file">as a file in the config's folder</option>
              <option value="base64">inline (base64)</option>
            </select>
          )}
          <input
            ref={picker}
            type="file"
            multiple
            hidden
            aria-label="attachment file"
            onChange={async (e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = "";
              setBusy(true);
              try {
                for (const f of files) await actions.attach(cellId, f, mode);
              } finally {
                setBusy(false);
              }
            }}
          />
        </div>
      )}
    </div>
  );
});
