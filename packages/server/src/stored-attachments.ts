/**
 * Files of a hosted notebook live in its store, never on the server's disk:
 * an attachment or output file is a `file_uri` whose value is
 * `attachments/<sha256>.<ext>`, the bytes stored as a blob under that SHA-256.
 * This module holds the one walk over a notebook's file references
 * ({@link fileReferences}) and what is built on it: storing uploads, copying
 * the owner's files in at start, inlining stored files into downloads, and
 * the blob ids a notebook keeps alive (for the blob sweep and session sizes).
 *
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, isAbsolute, relative, resolve, sep } from "node:path";
import type { AIConfig } from "@aiconfig-ts/core";
import type { NotebookStore } from "./notebook-store.js";

/** Reference of an attachment stored in the store, as a `file_uri` value: group 1 the SHA-256 hex, group 2 the extension. */
export const STORED_ATTACHMENT = /^attachments\/([0-9a-f]{64})(\.[A-Za-z0-9]{1,10})?$/;

/** A `{kind: "file_uri", value}` object inside a notebook's prompts (inputs' attachments, outputs' data); mutable. */
export interface FileReference {
  kind: string;
  value: string;
}

/**
 * Every `{kind: "file_uri", value: string}` object in the notebook's prompts
 * (attachments of inputs, data of outputs, at any depth), in document order.
 * The objects are the notebook's own: changing one changes the notebook.
 */
export function fileReferences(config: AIConfig | undefined): FileReference[] {
  const found: FileReference[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const x of node) walk(x);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const o = node as Record<string, unknown>;
    if (o.kind === "file_uri" && typeof o.value === "string") {
      found.push(o as unknown as FileReference);
      return;
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(config?.prompts);
  return found;
}

/** The SHA-256 ids of the stored blobs a notebook refers to. */
export function storedBlobIds(config: AIConfig | undefined): Set<string> {
  const ids = new Set<string>();
  for (const ref of fileReferences(config)) {
    const m = STORED_ATTACHMENT.exec(ref.value);
    if (m) ids.add(m[1]!);
  }
  return ids;
}

/**
 * Stores bytes as an attachment; returns its `file_uri` reference (`attachments/<sha256><ext>`).
 * @param pinned kept by the blob sweep even when no session refers to it (the owner's files)
 */
export async function storeAttachment(store: NotebookStore, bytes: Buffer, name: string, pinned = false): Promise<string> {
  const sha = createHash("sha256").update(bytes).digest("hex");
  await store.putBlob(sha, bytes, pinned);
  const ext = extname(name).toLowerCase();
  return `attachments/${sha}${/^\.[a-z0-9]{1,10}$/.test(ext) ? ext : ""}`;
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) && !rel.split(sep).some((part) => part.startsWith("."));
}

/**
 * The owner's notebook with its local attachments and output files (paths
 * under the file's folder, no dot-files, no symlinks out) copied into the
 * store (pinned) and referred to there, so visitors' runs never read the disk.
 * References that leave the folder or do not exist are left as they are (a
 * visitor's run then refuses them).
 */
export async function importOwnerFiles(config: AIConfig, dir: string, store: NotebookStore): Promise<AIConfig> {
  const copy = structuredClone(config);
  const realDir = realpathSync(dir);
  for (const ref of fileReferences(copy)) {
    if (/^[a-z]+:/i.test(ref.value) || STORED_ATTACHMENT.test(ref.value) || isAbsolute(ref.value)) continue;
    try {
      const real = realpathSync(resolve(dir, ref.value));
      if (inside(realDir, real)) ref.value = await storeAttachment(store, await readFile(real), real, true);
    } catch {
      // missing: left as it is
    }
  }
  return copy;
}

/** The notebook with its stored files inline (base64), for files that leave the server (downloads). */
export async function withStoredFilesInline(config: AIConfig, store: NotebookStore): Promise<AIConfig> {
  const copy = structuredClone(config);
  for (const ref of fileReferences(copy)) {
    const m = STORED_ATTACHMENT.exec(ref.value);
    const bytes = m ? await store.getBlob(m[1]!) : undefined;
    if (!bytes) continue;
    ref.kind = "base64";
    ref.value = bytes.toString("base64");
  }
  return copy;
}
