/**
 * Task-first cells, as the Gradio Notebook adds them: a visitor picks a task
 * (Text Generation, Summarization, Translation, Automatic Speech Recognition,
 * Text-to-Speech, Text-to-Image, Image-to-Text, or Chat) and gets a cell with
 * the task's default model. Where an offline provider does the task
 * (stories260K, espeak-ng, pocketsphinx, tesseract) it is the default for a
 * visitor who has no key for the hosted service; otherwise the Hugging Face
 * Inference default for the task (the seed's "Supported Models").
 *
 * @packageDocumentation
 */
import type { ProviderRegistry } from "@aiconfig-ts/core";

/** A task a new cell can start from. */
export interface TaskCell {
  /** The task, in the Hugging Face task names (plus `chat`). */
  task: string;
  /** Its label in the page. */
  label: string;
  /** The model a new cell of this task gets. */
  model: string;
  /** Whether that model runs on this server without a key or network. */
  offline: boolean;
  /** The key (environment variable) the model needs, when it needs one. */
  needsKey?: string;
}

interface TaskDefaults {
  task: string;
  label: string;
  offline?: string;
  hosted: string;
  key: string;
}

/** Per task: the offline default (when a provider can do it here) and the hosted default with the key it needs. */
const TASKS: readonly TaskDefaults[] = [
  { task: "text-generation", label: "Text Generation", offline: "stories260K", hosted: "Qwen/Qwen2.5-7B-Instruct", key: "HF_TOKEN" },
  { task: "summarization", label: "Summarization", hosted: "facebook/bart-large-cnn", key: "HF_TOKEN" },
  { task: "translation", label: "Translation", hosted: "Helsinki-NLP/opus-mt-en-fr", key: "HF_TOKEN" },
  {
    task: "automatic-speech-recognition",
    label: "Automatic Speech Recognition",
    offline: "pocketsphinx",
    hosted: "openai/whisper-large-v3",
    key: "HF_TOKEN",
  },
  { task: "text-to-speech", label: "Text-to-Speech", offline: "espeak-ng", hosted: "facebook/mms-tts-eng", key: "HF_TOKEN" },
  { task: "text-to-image", label: "Text-to-Image", hosted: "stabilityai/stable-diffusion-xl-base-1.0", key: "HF_TOKEN" },
  { task: "image-to-text", label: "Image-to-Text", offline: "tesseract", hosted: "Salesforce/blip-image-captioning-base", key: "HF_TOKEN" },
  { task: "chat", label: "Chat", offline: "stories260K", hosted: "gpt-4o-mini", key: "OPENAI_API_KEY" },
];

/**
 * The task cells for a visitor: for each task, the hosted default when the
 * visitor can use its key (`keys` has it), else the offline default when a
 * registered provider serves it, else the hosted default (which asks for the key).
 * @param keys the environment variable names of the keys the visitor's runs would have
 */
export function taskCells(registry: ProviderRegistry, keys: ReadonlySet<string>): TaskCell[] {
  return TASKS.map((t) => {
    const offline = t.offline && registry.find(t.offline) ? t.offline : undefined;
    if (offline && !keys.has(t.key)) return { task: t.task, label: t.label, model: offline, offline: true };
    return { task: t.task, label: t.label, model: t.hosted, offline: false, ...(keys.has(t.key) ? {} : { needsKey: t.key }) };
  });
}
