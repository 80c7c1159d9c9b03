/**
 * The page's model and task pickers, as pure functions of what the server
 * says of its providers (`ProviderInfo.capabilities`, `keySet`) and models:
 * models grouped by task and provider, each group marked offline, or with the
 * key it needs and whether it is set; a default model per task. Shared by the
 * editor and the hosted notebook.
 */
import type { ProviderTask } from "@aiconfig-ts/core";
import type { ModelInfo, ProviderInfo } from "../../src/api-types";

/** The tasks a new cell starts from: the Gradio Notebook's seven, plus chat, in the order they are offered. */
export const TASKS: readonly { readonly task: ProviderTask; readonly label: string }[] = [
  { task: "chat", label: "Chat" },
  { task: "text-generation", label: "Text Generation" },
  { task: "summarization", label: "Summarization" },
  { task: "translation", label: "Translation" },
  { task: "automatic-speech-recognition", label: "Automatic Speech Recognition" },
  { task: "text-to-speech", label: "Text-to-Speech" },
  { task: "text-to-image", label: "Text-to-Image" },
  { task: "image-to-text", label: "Image-to-Text" },
];

/** Whether a provider can run here: offline, its key set, its key missing, or unknown (no capabilities). */
export type ProviderReadiness = "offline" | "key-set" | "key-missing" | "unknown";

/** What a provider needs to run, for a picker's label. */
export function providerReadiness(p: ProviderInfo | undefined): { readiness: ProviderReadiness; label: string } {
  const caps = p?.capabilities;
  if (!caps) return { readiness: "unknown", label: "" };
  if (caps.offline) return { readiness: "offline", label: "offline" };
  const keys = caps.credentials ?? [];
  if (keys.length === 0) return { readiness: "unknown", label: "" };
  return p?.keySet
    ? { readiness: "key-set", label: `${keys[0]} is set` }
    : { readiness: "key-missing", label: `needs ${keys.join(" or ")} (not set)` };
}

/** A group of the model picker: one provider's models for one task. */
export interface ModelGroup {
  /** The task, or `undefined` for providers that do not say (a providers module's). */
  readonly task: ProviderTask | undefined;
  readonly taskLabel: string;
  readonly provider: ProviderInfo;
  readonly readiness: ProviderReadiness;
  /** `offline`, `needs OPENAI_API_KEY (not set)`, ... */
  readonly readinessLabel: string;
  readonly models: readonly string[];
}

const READINESS_ORDER: Record<ProviderReadiness, number> = { offline: 0, "key-set": 1, unknown: 2, "key-missing": 3 };

/**
 * The models grouped by task (in {@link TASKS} order, then "Other") and
 * provider (offline first, then those whose key is set). A model whose
 * provider does several tasks is offered under each. Retired providers'
 * models appear only if listed in `models` (the server lists them only when
 * the document uses them).
 */
export function groupModels(providers: readonly ProviderInfo[], models: readonly ModelInfo[]): ModelGroup[] {
  const byProvider = new Map<string, string[]>();
  for (const m of models) {
    let list = byProvider.get(m.provider);
    if (!list) byProvider.set(m.provider, (list = []));
    list.push(m.name);
  }
  const groups: ModelGroup[] = [];
  const taskOrder = [...TASKS.map((t) => t.task), undefined];
  for (const task of taskOrder) {
    const inTask: ModelGroup[] = [];
    for (const provider of providers) {
      const names = byProvider.get(provider.id);
      if (!names?.length) continue;
      const tasks = provider.capabilities?.tasks;
      if (task === undefined ? tasks !== undefined && tasks.length > 0 : !tasks?.includes(task)) continue;
      const preferred = provider.capabilities?.models ?? [];
      const ordered = [...names].sort((a, b) => rank(preferred, a) - rank(preferred, b) || a.localeCompare(b));
      const { readiness, label } = providerReadiness(provider);
      inTask.push({
        task,
        taskLabel: TASKS.find((t) => t.task === task)?.label ?? "Other",
        provider,
        readiness,
        readinessLabel: label,
        models: ordered,
      });
    }
    inTask.sort((a, b) => READINESS_ORDER[a.readiness] - READINESS_ORDER[b.readiness]);
    groups.push(...inTask);
  }
  return groups;
}

function rank(list: readonly string[], name: string): number {
  const i = list.indexOf(name);
  return i < 0 ? list.length : i;
}

/**
 * The model a new cell of a task starts with: the task's first model of an
 * offline provider, else of a provider whose key is set, else, as the Gradio
 * Notebook does, of Hugging Face Inference (the provider reading `HF_TOKEN`),
 * else of any provider that is not retired; `undefined` when no provider does
 * the task.
 */
export function taskDefaultModel(task: ProviderTask, providers: readonly ProviderInfo[], models: readonly ModelInfo[]): string | undefined {
  const groups = groupModels(
    providers.filter((p) => !p.capabilities?.retired),
    models,
  ).filter((g) => g.task === task);
  const ready = groups.find((g) => g.readiness === "offline" || g.readiness === "key-set");
  const huggingFace = groups.find((g) => g.provider.capabilities?.credentials?.includes("HF_TOKEN"));
  return (ready ?? huggingFace ?? groups[0])?.models[0];
}
