/**
 * What the site's bar says about where each task runs: in the browser (an
 * offline provider: no key, nothing leaves the page) or with a key (a
 * key-based provider called from the page with the visitor's key). From the
 * providers' `capabilities` (`offline`, `credentials`), as the pickers read them.
 */
import { type ProviderInfo, TASKS } from "@aiconfig-ts/editor/ui";
import { SITE_KEYS } from "./keys-store";

/** A task and what runs it. */
export interface TaskLine {
  task: string;
  /** The task's name as the pickers show it, e.g. `Text to speech`. */
  label: string;
  /** For `inBrowser`: the offline providers' ids; for `withKey`: the labels of the keys that run it (e.g. `OpenAI`). */
  by: string[];
}

/** Where the tasks of the page's providers run. */
export interface TaskSummary {
  /** Tasks an offline provider runs in the page. */
  inBrowser: TaskLine[];
  /** Tasks only a key-based provider runs (none of them offline). */
  withKey: TaskLine[];
}

const label = (task: string) => TASKS.find((t) => t.task === task)?.label ?? task;

function add(lines: Map<string, TaskLine>, task: string, by: string): void {
  const line = lines.get(task) ?? { task, label: label(task), by: [] };
  if (!line.by.includes(by)) line.by.push(by);
  lines.set(task, line);
}

/** Where each task of `providers` runs (retired providers and services the page cannot reach are left out). */
export function taskSummary(providers: readonly ProviderInfo[]): TaskSummary {
  const inBrowser = new Map<string, TaskLine>();
  const withKey = new Map<string, TaskLine>();
  for (const p of providers) {
    const caps = p.capabilities;
    if (!caps || caps.retired) continue;
    if (caps.offline) for (const t of caps.tasks) add(inBrowser, t, p.id);
    else {
      const key = SITE_KEYS.find((k) => caps.credentials?.includes(k.env));
      if (key) for (const t of caps.tasks) add(withKey, t, key.label);
    }
  }
  const order = (a: TaskLine, b: TaskLine) => TASKS.findIndex((t) => t.task === a.task) - TASKS.findIndex((t) => t.task === b.task);
  return {
    inBrowser: [...inBrowser.values()].sort(order),
    withKey: [...withKey.values()].filter((l) => !inBrowser.has(l.task)).sort(order),
  };
}
