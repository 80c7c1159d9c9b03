import type { Banner } from "../banner";

/** Props of {@link Banners}. */
export interface BannersProps {
  fileName: string;
  /** The server is not reachable. */
  offline: boolean;
  dirty: boolean;
  /** The file changed on disk since it was loaded here. */
  conflict: boolean;
  banner: Banner | undefined;
  onCopyJson(): void;
  onDownloadJson(): void;
  onReload(): void;
  onOverwrite(): void;
  onCancelConflict(): void;
  onDismiss(): void;
}

/** The messages across the top of the notebook: server unreachable, file changed on disk, and the last message. */
export function Banners(p: BannersProps) {
  const { banner } = p;
  return (
    <>
      {p.offline && (
        <div className="banner error" role="alert">
          The editor's server is not reachable. Your edits are kept in this page{p.dirty ? " (unsaved)" : ""}:{" "}
          <button type="button" className="button" onClick={p.onCopyJson}>
            Copy JSON
          </button>{" "}
          <button type="button" className="button" onClick={p.onDownloadJson}>
            Download JSON
          </button>
        </div>
      )}
      {p.conflict && (
        <div className="banner warning conflict" role="alert">
          <strong>{p.fileName} changed on disk</strong> since it was loaded here. Saving now would overwrite those changes.{" "}
          <button type="button" className="button" onClick={p.onReload}>
            Reload from disk (drop my edits)
          </button>{" "}
          <button type="button" className="button danger" onClick={p.onOverwrite}>
            Overwrite with my version
          </button>{" "}
          <button type="button" className="button" onClick={p.onCancelConflict}>
            Cancel
          </button>
        </div>
      )}
      {banner && (
        <div className={`banner ${banner.kind}`} role={banner.kind === "error" ? "alert" : "status"}>
          <span className="banner-message">{banner.message}</span>
          {banner.action && (
            <>
              {" "}
              <button type="button" className="button" onClick={banner.action.run}>
                {banner.action.label}
              </button>
            </>
          )}
          {banner.problems && (
            <ul>
              {banner.problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          )}
          <button type="button" className="icon-button" aria-label="dismiss" onClick={p.onDismiss}>
            ×
          </button>
        </div>
      )}
    </>
  );
}
