/**
 * Entry of the static notebook page (`aiconfig export --site`): mounts the page
 * into `#root`.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { SitePage } from "./SitePage";
import "@aiconfig-ts/editor/ui/styles.css";

const root = document.getElementById("root")!;
root.replaceChildren();
createRoot(root).render(
  <StrictMode>
    <SitePage siteRoot={new URL(".", location.href).toString()} />
  </StrictMode>,
);
