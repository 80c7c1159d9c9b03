/**
 * Reading the replies of Hugging Face's task APIs in the shapes the service
 * really sends: one object, a list of them, or a list of lists (a batch).
 * The SDK checks some tasks more strictly than the service answers, e.g.
 * Image-to-Text, which it takes only as `{generated_text}` while the service
 * answers `[{generated_text}]` (recorded in the SDK's own test suite).
 *
 * @packageDocumentation
 */

/** One result of a reply: its text and the object that held it. */
export interface ReplyText {
  readonly text: string;
  /** The object the text was read from (e.g. `{text, chunks}` of speech recognition). */
  readonly item: Readonly<Record<string, unknown>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The texts under `field` in a reply: `{field: TEXT}`, `[{field: TEXT}, ...]`
 * or `[[{field: TEXT}, ...], ...]`, in order; `undefined` when the reply has
 * none of these shapes (an empty list has none).
 *
 * @param reply the reply's JSON (or what the SDK made of it)
 * @param field e.g. `generated_text`, `summary_text`, `translation_text`, `text`
 */
export function textsIn(reply: unknown, field: string): ReplyText[] | undefined {
  const items = Array.isArray(reply) ? reply.flatMap((x) => (Array.isArray(x) ? x : [x])) : [reply];
  if (items.length === 0 || !items.every((x) => isRecord(x) && typeof x[field] === "string")) return undefined;
  return (items as Array<Record<string, unknown>>).map((item) => ({ text: item[field] as string, item }));
}

/** A short view of a reply for an error message: its JSON, cut at `max` characters. */
export function replyExcerpt(reply: unknown, max = 200): string {
  let text: string;
  if (reply === undefined) text = "nothing";
  else if (typeof reply === "string") text = JSON.stringify(reply);
  else if (typeof Blob !== "undefined" && reply instanceof Blob) text = `${reply.size} bytes of ${reply.type || "unknown type"}`;
  else {
    try {
      text = JSON.stringify(reply) ?? String(reply);
    } catch {
      text = String(reply);
    }
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
