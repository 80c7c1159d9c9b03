/**
 * `<aiconfig-notebook src="/notebook/">`: a web component that shows a hosted
 * notebook in any page, talking to the notebook's handler at `src` (a
 * `createNotebookHandler` mounted by the same site, so the session cookie and
 * the same-origin checks apply). It renders the editor's React notebook in a
 * shadow root with its own CSS, so the page's styles and the notebook's do
 * not mix.
 *
 * Attributes: `src` (required, the handler's URL), `theme` (`light`|`dark`, optional).
 */
import { AIConfigNotebook } from "@aiconfig-ts/editor/ui";
import css from "@aiconfig-ts/editor/ui/styles.css?inline";
import { type Root, createRoot } from "react-dom/client";

class AIConfigNotebookElement extends HTMLElement {
  static observedAttributes = ["src"];
  #root: Root | undefined;

  connectedCallback(): void {
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    if (!this.#root) {
      const style = document.createElement("style");
      style.textContent = `:host{display:block}\n${css}`;
      const mount = document.createElement("div");
      shadow.replaceChildren(style, mount);
      this.#root = createRoot(mount);
    }
    this.#render();
  }

  disconnectedCallback(): void {
    this.#root?.unmount();
    this.#root = undefined;
  }

  attributeChangedCallback(): void {
    if (this.#root) this.#render();
  }

  #render(): void {
    const src = this.getAttribute("src");
    if (!src) return;
    const backendUrl = new URL(src.endsWith("/") ? src : `${src}/`, location.href).toString();
    this.#root!.render(<AIConfigNotebook key={backendUrl} backendUrl={backendUrl} />);
  }
}

if (!customElements.get("aiconfig-notebook")) customElements.define("aiconfig-notebook", AIConfigNotebookElement);
