import { forwardRef, memo, useMemo } from "react";
import { splitTemplate } from "../template-highlight";

/** Props of {@link InputEditor}. */
export interface InputEditorProps {
  value: string;
  onChange(value: string): void;
  readOnly: boolean;
  parameters: ReadonlySet<string>;
  prompts: ReadonlySet<string>;
  placeholder?: string;
  label: string;
}

/**
 * A prompt input editor: a textarea over a copy of its text in which
 * `{{parameter}}` tags are highlighted (defined parameter, reference to a
 * prompt, helper, or undefined name).
 */
export const InputEditor = memo(
  forwardRef<HTMLTextAreaElement, InputEditorProps>(function InputEditor(props, ref) {
    const { value, parameters, prompts } = props;
    const parts = useMemo(() => splitTemplate(value, parameters, prompts), [value, parameters, prompts]);
    return (
      <div className="input-editor">
        <div className="input-highlight" aria-hidden="true">
          {parts.map((p, i) =>
            p.kind === "text" ? (
              p.text
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity
              <mark key={i} className={`tag tag-${p.kind}`} title={p.kind === "missing" ? `nothing defines "${p.name}"` : undefined}>
                {p.text}
              </mark>
            ),
          )}
          {"\n"}
        </div>
        <textarea
          ref={ref}
          className="input-text"
          aria-label={props.label}
          value={value}
          readOnly={props.readOnly}
          placeholder={props.placeholder}
          spellCheck={false}
          rows={1}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </div>
    );
  }),
);
