/**
 * Test support: renders text into an image with ImageMagick (`convert`,
 * Debian package `imagemagick`, installed by scripts/install-system-deps.sh)
 * and the DejaVu fonts (`fonts-dejavu-core`).
 */
import { execFileSync } from "node:child_process";

/** How to draw the text. */
export interface RenderOptions {
  /** A DejaVu font name, e.g. `DejaVu-Sans` (default) or `DejaVu-Serif`. */
  font?: string;
  /** Font size in points (default 36). */
  pointSize?: number;
  /** Text colour (default black, on white). */
  fill?: string;
  /** Degrees to rotate the finished image by (default 0). */
  rotate?: number;
}

/**
 * Writes an image of the text to `path` (its type from the extension: .png, .jpg, ...).
 * Lines are separated by `\n`.
 */
export function renderText(text: string, path: string, options: RenderOptions = {}): void {
  const args = [
    "-background",
    "white",
    "-fill",
    options.fill ?? "black",
    "-font",
    options.font ?? "DejaVu-Sans",
    "-pointsize",
    String(options.pointSize ?? 36),
    // label: reads "@file" and expands "%" and "\\" escapes: keep the text literal.
    `label:${text.replace(/\\/g, "\\\\").replace(/%/g, "%%").replace(/^@/, "\\@")}`,
    "-bordercolor",
    "white",
    "-border",
    "24",
  ];
  if (options.rotate) args.push("-rotate", String(options.rotate));
  args.push(path);
  execFileSync("convert", args);
}
