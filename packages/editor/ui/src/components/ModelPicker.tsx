import { memo, useEffect, useState } from "react";

/** Id of the page's one `<datalist>` of model names (shared by every cell). */
export const MODELS_DATALIST_ID = "aiw-models";

/** Props of {@link ModelPicker}. */
export interface ModelPickerProps {
  value: string | undefined;
  /** Model names offered (the `<datalist>`), to commit a pick at once. */
  known: ReadonlySet<string>;
  onChange(model: string): void;
  readOnly: boolean;
  placeholder?: string;
  label: string;
}

/**
 * A searchable model picker: a text field over the registered model names
 * (the browser filters the list as one types). A name is applied when it is
 * one of the list, or on Enter or leaving the field.
 */
export const ModelPicker = memo(function ModelPicker({ value, known, onChange, readOnly, placeholder, label }: ModelPickerProps) {
  const [draft, setDraft] = useState(value ?? "");
  useEffect(() => setDraft(value ?? ""), [value]);
  const commit = (v: string) => {
    if (v.trim() !== (value ?? "")) onChange(v.trim());
  };
  return (
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
  );
});
