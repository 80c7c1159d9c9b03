import { memo, useEffect, useState } from "react";
import type { ModelGroup } from "../model-catalog";

/** Id of the page's one `<datalist>` of model names (shared by every cell). */
export const MODELS_DATALIST_ID = "aiw-models";

/** Props of {@link ModelPicker}. */
export interface ModelPickerProps {
  value: string | undefined;
  /** Model names offered (the `<datalist>`), to commit a pick at once. */
  known: ReadonlySet<string>;
  /** The models grouped by task and provider, for the menu beside the field. */
  groups?: readonly ModelGroup[];
  onChange(model: string): void;
  readOnly: boolean;
  placeholder?: string;
  label: string;
}

/** The label of a picker group: `Chat · openai — needs OPENAI_API_KEY (not set)`. */
export function groupLabel(g: ModelGroup): string {
  return `${g.taskLabel} · ${g.provider.id}${g.readinessLabel ? ` — ${g.readinessLabel}` : ""}`;
}

/**
 * A model picker: a text field over the offered model names (the browser
 * filters the list as one types; a name is applied when it is one of the
 * list, or on Enter or leaving the field), and a menu of the models grouped
 * by task and provider, each group saying whether it runs offline or which
 * key it needs and whether that key is set.
 */
export const ModelPicker = memo(function ModelPicker({ value, known, groups, onChange, readOnly, placeholder, label }: ModelPickerProps) {
  const [draft, setDraft] = useState(value ?? "");
  useEffect(() => setDraft(value ?? ""), [value]);
  const commit = (v: string) => {
    if (v.trim() !== (value ?? "")) onChange(v.trim());
  };
  return (
    <span className="model-picker-wrap">
      <input
        className="model-picker"
        list={MODELS_DATALIST_ID}
        aria-label={label}
        value={draft}
        placeholder={placeholder ?? "model"}
        readOnly={readOnly}
        spellCheck={false}
        onChange={(e) => {
          setDraft(e.target.value);
          if (known.has(e.target.value)) commit(e.target.value);
        }}
        onBlur={() => commit(draft)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            commit(draft);
          }
        }}
      />
      {!readOnly && groups && groups.length > 0 && (
        <select
          className="model-menu"
          aria-label={`${label.replace(/^model\b/, "models")} by task`}
          title="Models by task and provider"
          value=""
          onChange={(e) => {
            if (e.target.value) onChange(e.target.value);
          }}
        >
          <option value="">▾</option>
          {groups.map((g) => (
            <optgroup key={`${g.task ?? "other"}:${g.provider.id}`} label={groupLabel(g)} data-readiness={g.readiness}>
              {g.models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      )}
    </span>
  );
});
