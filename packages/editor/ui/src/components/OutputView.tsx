import type { Output, StoredData, ToolCall } from "@aiconfig-ts/core";
import { memo, useMemo } from "react";
import { renderMarkdown } from "../markdown";
import { useNotebook } from "../notebook-context";

function isStored(data: unknown): data is StoredData {
  return (
    typeof data === "object" &&
    data !== null &&
    ((data as StoredData).kind === "base64" || (data as StoredData).kind === "file_uri") &&
    typeof (data as StoredData).value === "string"
  );
}

function isToolCalls(data: unknown): data is { kind: "tool_calls"; value: ToolCall[] } {
  return (
    typeof data === "object" &&
    data !== null &&
    (data as { kind?: unknown }).kind === "tool_calls" &&
    Array.isArray((data as { value?: unknown }).value)
  );
}

function isText(mime: string | undefined): boolean {
  return mime === undefined || mime === "" || mime.startsWith("text/");
}

/** URL of stored data: a data: URL for base64, the file route for a relative path, the URL itself otherwise. */
export function storedDataUrl(data: StoredData, mime: string, fileUrl: (p: string) => string): string {
  if (data.kind === "base64") return data.value.startsWith("data:") ? data.value : `data:${mime};base64,${data.value}`;
  if (/^(https?:|data:|blob:)/i.test(data.value)) return data.value;
  return fileUrl(data.value.replace(/^file:\/\//, ""));
}

/** Text of a chat-message-shaped output (`{role, content}`), else `undefined`. */
function messageText(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const m = data as { role?: unknown; content?: unknown };
  if (typeof m.role !== "string") return undefined;
  if (typeof m.content === "string") return m.content;
  return undefined;
}

/**
 * The reasoning text a provider kept in an output's metadata: Anthropic's
 * `thinking`, Gemini's thought summaries (`thoughts`), OpenAI-compatible
 * servers' `reasoning` / `reasoning_content`.
 */
export function reasoningText(output: Output): string | undefined {
  const m = (output as { metadata?: Record<string, unknown> }).metadata;
  if (!m) return undefined;
  for (const key of ["reasoning", "reasoning_content", "thinking", "thoughts"]) {
    const v = m[key];
    if (typeof v === "string" && v.trim() !== "") return v;
  }
  return undefined;
}

/**
 * The text a model wrote beside its tool calls, kept in the output's metadata:
 * `text` (Gemini, Anthropic) or `content` (OpenAI-compatible, Hugging Face)
 * when it is a string.
 */
export function textBesideToolCalls(output: Output): string | undefined {
  const m = (output as { metadata?: Record<string, unknown> }).metadata;
  for (const key of ["text", "content"]) {
    const v = m?.[key];
    if (typeof v === "string" && v.trim() !== "") return v;
  }
  return undefined;
}

/**
 * Shows one output by its type: markdown text, JSON, tool calls, image,
 * audio, video or error; the model's reasoning, when kept, collapsed above it.
 */
export const OutputView = memo(function OutputView({ output }: { output: Output }) {
  const reasoning = reasoningText(output);
  if (!reasoning) return <OutputBody output={output} />;
  return (
    <div className="output-with-reasoning">
      <details className="reasoning">
        <summary>Reasoning</summary>
        <div className="reasoning-text">{reasoning}</div>
      </details>
      <OutputBody output={output} />
    </div>
  );
});

/** Whether a URL points at another host (an exported page shows it as a link, never loads it). */
function isRemote(url: string): boolean {
  return /^(https?:)?\/\//i.test(url);
}

const OutputBody = memo(function OutputBody({ output }: { output: Output }) {
  const { actions, staticPage } = useNotebook();
  if (output.output_type === "error") {
    return (
      <div className="output output-error" role="alert">
        <strong>{output.ename}</strong>: {output.evalue}
        {output.traceback?.length > 0 && (
          <details>
            <summary>traceback</summary>
            <pre>{output.traceback.join("\n")}</pre>
          </details>
        )}
      </div>
    );
  }
  if (output.output_type !== "execute_result") return <pre className="output output-json">{JSON.stringify(output, null, 2)}</pre>;
  const { data } = output;
  const mime = output.mime_type ?? "";
  if (typeof data === "string" && isText(mime)) return <MarkdownOutput text={data} />;
  if (isToolCalls(data)) {
    const beside = textBesideToolCalls(output);
    return (
      <div className="output output-tools">
        {beside !== undefined && <MarkdownOutput text={beside} />}
        {data.value.map((call, i) => (
          <div key={call.id ?? i} className="tool-call">
            <div className="tool-call-name">
              tool call <code>{call.function?.name}</code>
              {call.id && <span className="muted small"> {call.id}</span>}
            </div>
            <pre>{prettyJson(call.function?.arguments)}</pre>
          </div>
        ))}
      </div>
    );
  }
  if (isStored(data)) {
    const url = storedDataUrl(data, mime || "application/octet-stream", actions.fileUrl);
    if (staticPage && isRemote(url))
      return (
        <div className="output output-remote">
          {mime || "file"} at{" "}
          <a href={url} target="_blank" rel="noopener noreferrer nofollow">
            {url}
          </a>{" "}
          <span className="muted small">(not loaded by this page)</span>
        </div>
      );
    if (mime.startsWith("image/")) return <img className="output output-image" src={url} alt={`output (${mime})`} />;
    if (mime.startsWith("audio/"))
      return (
        <audio className="output output-audio" controls src={url}>
          <track kind="captions" />
        </audio>
      );
    if (mime.startsWith("video/"))
      return (
        <video className="output output-video" controls src={url}>
          <track kind="captions" />
        </video>
      );
    if (isText(mime) && data.kind === "base64") return <MarkdownOutput text={decodeBase64(data.value)} />;
    return (
      <div className="output">
        <a href={url} target="_blank" rel="noopener noreferrer">
          {data.kind === "file_uri" ? data.value : `${mime || "binary"} data`}
        </a>
      </div>
    );
  }
  const message = messageText(data);
  if (message !== undefined) return <MarkdownOutput text={message} />;
  return <pre className="output output-json">{JSON.stringify(data, null, 2)}</pre>;
});

function decodeBase64(value: string): string {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
  } catch {
    return value;
  }
}

function prettyJson(text: unknown): string {
  if (typeof text !== "string") return JSON.stringify(text, null, 2);
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Markdown text rendered with marked (HTML escaped). */
export const MarkdownOutput = memo(function MarkdownOutput({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown escapes raw HTML and drops script URLs
  return <div className="output output-text markdown" dangerouslySetInnerHTML={{ __html: html }} />;
});
