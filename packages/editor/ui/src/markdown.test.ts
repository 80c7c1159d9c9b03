import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "./markdown";

test("markdown renders, raw HTML is shown as text and script URLs are dropped", () => {
  assert.equal(renderMarkdown("**bold** and `code`"), "<p><strong>bold</strong> and <code>code</code></p>\n");
  const html = renderMarkdown(
    '<img src=x onerror="alert(1)">\n\n<script>alert(2)</script>\n\n[click](javascript:alert(3)) ![i](javascript:alert(4))',
  );
  assert.ok(!/<img|<script|<a |href=|src=/i.test(html.replace(/&#60;[\s\S]*?&#62;/g, "")), html);
  assert.match(html, /&#60;script&#62;alert\(2\)&#60;\/script&#62;/);
  assert.match(html, /<p>click i<\/p>/, "unsafe links keep their text only");
  assert.match(
    renderMarkdown("[docs](https://example.com/a)"),
    /<a href="https:\/\/example.com\/a" target="_blank" rel="noopener noreferrer">docs<\/a>/,
  );
});
