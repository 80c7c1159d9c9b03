import type { JSONObject, JSONValue } from "@aiconfig-ts/core";
import { memo, useEffect, useRef, useState } from "react";
import { AutoTextarea } from "./AutoTextarea";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Props of {@link ParametersEditor}. */
export interface ParametersEditorProps {
  parameters: JSONObject;
  onChange(parameters: JSONObject, key?: string): void;
  readOnly: boolean;
  /** Label for screen readers and tests, e.g. "global parameters". */
  label: string;
  /** Called when a parameter's name was changed (on leaving the name field), to offer renaming its uses. */
  onRenamed?(from: string, to: string): void;
}

function renameKey(obj: JSONObject, from: string, to: string): JSONObject {
  const out: JSONObject = {};
  for (const [k, v] of Object.entries(obj)) out[k === from ? to : k] = v;
  return out;
}

/**
 * Edits a parameters object: one row per parameter (name, value). A name that
 * is not an identifier or is taken shows a message and is not applied. String
 * values are edited as text; other values as JSON (applied when valid).
 */
export const ParametersEditor = memo(function ParametersEditor({
  parameters,
  onChange,
  readOnly,
  label,
  onRenamed,
}: ParametersEditorProps) {
  const entries = Object.entries(parameters);
  const add = () => {
    let i = entries.length + 1;
    while (`param_${i}` in parameters) i++;
    onChange({ ...parameters, [`param_${i}`]: "" });
  };
  return (
    <fieldset className="params" aria-label={label}>
      {entries.length === 0 && <div className="muted small">No parameters.</div>}
      {entries.map(([name, value], i) => (
        <ParameterRow
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional (names change while typing)
          key={i}
          name={name}
          value={value}
          readOnly={readOnly}
          taken={(n) => n !== name && n in parameters}
          onRename={(to) => onChange(renameKey(parameters, name, to))}
          onRenamed={onRenamed}
          onValue={(v) => onChange({ ...parameters, [name]: v }, `param:${name}`)}
          onDelete={() => {
            const { [name]: _gone, ...rest } = parameters;
            onChange(rest);
          }}
        />
      ))}
      {!readOnly && (
        <button type="button" className="link-button" onClick={add}>
          + Add parameter
        </button>
      )}
    </fieldset>
  );
});

interface ParameterRowProps {
  name: string;
  value: JSONValue;
  readOnly: boolean;
  taken(name: string): boolean;
  onRename(name: string): void;
  onRenamed?(from: string, to: string): void;
  onValue(value: JSONValue): void;
  onDelete(): void;
}

function ParameterRow({ name, value, readOnly, taken, onRename, onRenamed, onValue, onDelete }: ParameterRowProps) {
  const [draftName, setDraftName] = useState(name);
  const nameAtFocus = useRef(name);
  const isText = typeof value === "string";
  const [draftValue, setDraftValue] = useState(isText ? value : JSON.stringify(value, null, 2));
  const [error, setError] = useState<string>();
  useEffect(() => setDraftName(name), [name]);
  useEffect(() => {
    if (typeof value === "string") setDraftValue(value);
  }, [value]);

  const changeName = (next: string) => {
    setDraftName(next);
    if (!IDENTIFIER.test(next)) setError(`"${next}" is not a valid parameter name: use letters, digits and _, not starting with a digit`);
    else if (taken(next)) setError(`a parameter named "${next}" already exists`);
    else {
      setError(undefined);
      onRename(next);
    }
  };
  const changeValue = (next: string) => {
    setDraftValue(next);
    if (isText) {
      onValue(next);
      return;
    }
    try {
      onValue(JSON.parse(next) as JSONValue);
      setError(undefined);
    } catch (e) {
      setError(`the value of "${name}" is not valid JSON (${e instanceof Error ? e.message : e}); not applied`);
    }
  };
  return (
    <div className="param-row">
      <input
        className={`param-name ${error ? "invalid" : ""}`}
        aria-label="parameter name"
        value={draftName}
        readOnly={readOnly}
        onChange={(e) => changeName(e.target.value)}
        onFocus={() => {
          nameAtFocus.current = name;
        }}
        onBlur={() => {
          if (error && draftName !== name) {
            setError(`${error}; the name stays "${name}"`);
            setDraftName(name);
          }
          if (nameAtFocus.current !== name) onRenamed?.(nameAtFocus.current, name);
          nameAtFocus.current = name;
        }}
      />
      <AutoTextarea
        className={`param-value ${isText ? "" : "mono"}`}
        aria-label={`value of ${name}`}
        value={draftValue}
        readOnly={readOnly}
        onChange={(e) => changeValue(e.target.value)}
      />
      {!readOnly && (
        <button
          type="button"
          className="icon-button"
          title={`Delete parameter ${name}`}
          aria-label={`delete parameter ${name}`}
          onClick={onDelete}
        >
          ×
        </button>
      )}
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
