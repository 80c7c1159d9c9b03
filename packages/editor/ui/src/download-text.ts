/**
 * Saves text as a file through the browser's download (an object URL on a
 * temporary link, revoked after 10 s).
 * @param name the file name offered, e.g. `story.aiconfig.json`
 * @param text the file's content
 * @param type its MIME type, e.g. `application/json`
 */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
