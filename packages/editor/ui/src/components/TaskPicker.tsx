import type { ProviderTask } from "@aiconfig-ts/core";
import { memo, useMemo, useState } from "react";
import type { ModelInfo, ProviderInfo } from "../../../src/api-types";
import { TASKS, providerReadiness, taskDefaultModel } from "../model-catalog";

/** Props of {@link TaskPicker}. */
export interface TaskPickerProps {
  providers: readonly ProviderInfo[];
  models: readonly ModelInfo[];
  /** Called with the task picked and its default model. */
  onPick(task: ProviderTask, model: string): void;
  /** The button's text. Default `+ Add prompt`. */
  label?: string;
}

/**
 * "Add a cell" starting from a task: the Gradio Notebook's seven tasks plus
 * chat, each with its default model (offline where possible) and what that
 * model needs. Tasks no registered provider does are shown disabled. Used by
 * the editor and the hosted notebook.
 */
export const TaskPicker = memo(function TaskPicker({ providers, models, onPick, label = "+ Add prompt" }: TaskPickerProps) {
  const [open, setOpen] = useState(false);
  const choices = useMemo(
    () =>
      TASKS.map((t) => {
        const model = taskDefaultModel(t.task, providers, models);
        const provider = providers.find((p) => p.id === models.find((m) => m.name === model)?.provider);
        return { ...t, model, needs: providerReadiness(provider).label };
      }),
    [providers, models],
  );
  return (
    <div className="task-picker">
      <button type="button" className="button add-cell" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
        {label}
      </button>
      {open && (
        <div className="task-menu" role="menu" aria-label="add a cell for a task">
          {choices.map((c) => (
            <button
              key={c.task}
              type="button"
              role="menuitem"
              className="button task-choice"
              data-task={c.task}
              disabled={!c.model}
              onClick={() => {
                setOpen(false);
                if (c.model) onPick(c.task, c.model);
              }}
            >
              <strong>{c.label}</strong>{" "}
              <span className="muted small">{c.model ? `${c.model}${c.needs ? ` · ${c.needs}` : ""}` : "no provider for this task"}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
});
