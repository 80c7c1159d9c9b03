/**
 * Entry of the page served by the editor's server, and of exported pages: an
 * exported page carries its state in `<script id="aiconfig-static-state">`.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { EditorState } from "../../src/api-types";
import { AIConfigNotebook } from "./components/Notebook";
import "./styles.css";

const embedded = document.getElementById("aiconfig-static-state");
const staticState = embedded?.textContent ? (JSON.parse(embedded.textContent) as EditorState) : undefined;
const root = document.getElementById("root")!;
root.replaceChildren();
createRoot(root).render(
  <StrictMode>
    <AIConfigNotebook backendUrl={new URL(".", location.href).toString()} staticState={staticState} />
  </StrictMode>,
);
