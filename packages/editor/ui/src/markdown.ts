/**
 * Markdown to HTML with marked, made safe: raw HTML in the source is shown as
 * text (escaped), and links or images with `javascript:`-like URLs are dropped.
 */
import { Marked, type Tokens } from "marked";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function safeUrl(href: string): string | undefined {
  const trimmed = href.trim();
  if (/^(https?:|mailto:|#|\.{0,2}\/|[^:]*$)/i.test(trimmed)) return trimmed;
  if (/^data:image\//i.test(trimmed)) return trimmed;
  return undefined;
}

const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      const href = safeUrl(token.href);
      if (!href) return text;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
      return `<a href="${escapeHtml(href)}"${title} target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
    image(token: Tokens.Image): string {
      const src = safeUrl(token.href);
      if (!src) return escapeHtml(token.text);
      return `<img src="${escapeHtml(src)}" alt="${escapeHtml(token.text)}">`;
    },
  },
});

/** Renders markdown to HTML that is safe to put in the page (no raw HTML, no script URLs). */
export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false }) as string;
}
