import type { JSONValue, ModelSettings } from "@aiconfig-ts/core";
import { memo, useEffect, useState } from "react";
import { type EffectiveSetting, describeSetting, effectiveSetting } from "../settings-source";
import { AutoTextarea } from "./AutoTextarea";

type Schema = Record<string, any>;

/** Props of {@link SettingsEditor}. */
export interface SettingsEditorProps {
  settings: ModelSettings;
  /** The provider's `settingsSchema` (JSON Schema, `type: "object"`), if any. */
  schema?: Schema;
  onChange(settings: ModelSettings, key?: string): void;
  readOnly: boolean;
  label: string;
  /** Settings under these (the file's `metadata.models[model]` under a prompt's), shown where these leave a setting unset. */
  inherited?: ModelSettings;
  /** What `settings` are: a prompt's (default) or the file's settings for a model. */
  ownSource?: "prompt" | "file";
  /** The model, named in "from the file's settings for MODEL". */
  model?: string;
}

/**
 * Edits model settings with a form generated from the provider's JSON Schema
 * (numbers, booleans, enums, strings; other types as JSON), plus a raw-JSON
 * view. Invalid JSON shows a message and is not applied.
 */
export const SettingsEditor = memo(function SettingsEditor({
  settings,
  schema,
  onChange,
  readOnly,
  label,
  inherited,
  ownSource = "prompt",
  model,
}: SettingsEditorProps) {
  const properties: Record<string, Schema> = schema && typeof schema.properties === "object" ? schema.properties : {};
  const [raw, setRaw] = useState(Object.keys(properties).length === 0);
  const extra = [...new Set([...Object.keys(settings), ...Object.keys(inherited ?? {})])].filter((k) => !(k in properties));
  const effective = (key: string, prop: Schema) =>
    effectiveSetting(key, settings, inherited, prop.default as JSONValue | undefined, ownSource);
  const set = (key: string, value: JSONValue | undefined) => {
    const next: ModelSettings = { ...settings };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange(next, `setting:${key}`);
  };
  return (
    <fieldset className="settings" aria-label={label}>
      <div className="settings-bar">
        <label className="toggle small">
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} aria-label={`raw JSON ${label}`} /> Raw JSON
        </label>
      </div>
      {raw ? (
        <RawJsonEditor value={settings} onChange={(v) => onChange(v, "settings:raw")} readOnly={readOnly} label={`${label} JSON`} />
      ) : (
        <div className="settings-form">
          {Object.entries(properties).map(([key, prop]) => (
            <SettingField
              key={key}
              name={key}
              schema={prop}
              value={settings[key]}
              effective={effective(key, prop)}
              model={model}
              onChange={(v) => set(key, v)}
              readOnly={readOnly}
            />
          ))}
          {extra.map((key) => (
            <SettingField
              key={key}
              name={key}
              schema={{}}
              value={settings[key]}
              effective={effective(key, {})}
              model={model}
              onChange={(v) => set(key, v)}
              readOnly={readOnly}
            />
          ))}
        </div>
      )}
    </fieldset>
  );
});

interface SettingFieldProps {
  name: string;
  schema: Schema;
  value: JSONValue | undefined;
  /** The value a run uses and where it comes from. */
  effective: EffectiveSetting;
  model: string | undefined;
  onChange(value: JSONValue | undefined): void;
  readOnly: boolean;
}

function schemaType(schema: Schema): string | undefined {
  const t = schema.type;
  if (Array.isArray(t)) return t.find((x) => x !== "null");
  if (typeof t === "string") return t;
  if (Array.isArray(schema.enum)) return "enum";
  return undefined;
}

function SettingField({ name, schema, value, effective, model, onChange, readOnly }: SettingFieldProps) {
  const type = Array.isArray(schema.enum) ? "enum" : schemaType(schema);
  const title = typeof schema.title === "string" ? schema.title : name;
  const help = typeof schema.description === "string" ? schema.description : undefined;
  // an unset field shows what applies instead: the file's value for the model, else the provider's default
  const applies = value === undefined && effective.value !== undefined ? effective : undefined;
  const placeholder = applies ? describeSetting(applies, model) : "";
  let control: React.ReactNode;
  if (type === "boolean" && (value === undefined || typeof value === "boolean")) {
    control = (
      <select
        aria-label={name}
        value={value === undefined ? "" : String(value)}
        disabled={readOnly}
        onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value === "true")}
      >
        <option value="">{applies ? `(${describeSetting(applies, model)})` : "(unset)"}</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  } else if ((type === "number" || type === "integer") && (value === undefined || typeof value === "number")) {
    control = <NumberInput name={name} schema={schema} value={value} onChange={onChange} readOnly={readOnly} placeholder={placeholder} />;
  } else if (type === "enum" && (value === undefined || (schema.enum as unknown[]).includes(value))) {
    control = (
      <select
        aria-label={name}
        value={value === undefined ? "" : JSON.stringify(value)}
        disabled={readOnly}
        onChange={(e) => onChange(e.target.value === "" ? undefined : (JSON.parse(e.target.value) as JSONValue))}
      >
        <option value="">{placeholder || "(unset)"}</option>
        {(schema.enum as JSONValue[]).map((v) => (
          <option key={JSON.stringify(v)} value={JSON.stringify(v)}>
            {String(v)}
          </option>
        ))}
      </select>
    );
  } else if (type === "string" && (value === undefined || typeof value === "string")) {
    control = (
      <AutoTextarea
        aria-label={name}
        value={value ?? ""}
        placeholder={placeholder}
        readOnly={readOnly}
        onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}
      />
    );
  } else {
    control = <JsonValueInput name={name} value={value} onChange={onChange} readOnly={readOnly} placeholder={placeholder} />;
  }
  return (
    <div className="setting-field">
      <span className="setting-label" title={help}>
        {title}
      </span>
      <div className="setting-control">
        {control}
        <div className="setting-source muted small" data-source={effective.source}>
          {describeSetting(effective, model)}
        </div>
        {help && <div className="setting-help">{help}</div>}
      </div>
    </div>
  );
}

function NumberInput({
  name,
  schema,
  value,
  onChange,
  readOnly,
  placeholder,
}: {
  name: string;
  schema: Schema;
  value: number | undefined;
  onChange(v: JSONValue | undefined): void;
  readOnly: boolean;
  placeholder: string;
}) {
  const [draft, setDraft] = useState(value === undefined ? "" : String(value));
  const [error, setError] = useState<string>();
  useEffect(() => {
    setDraft((d) => (value === undefined ? (d.trim() === "" ? d : "") : Number(d) === value && d.trim() !== "" ? d : String(value)));
  }, [value]);
  return (
    <>
      <input
        type="number"
        aria-label={name}
        value={draft}
        min={schema.minimum}
        max={schema.maximum}
        step={schema.type === "integer" ? 1 : "any"}
        placeholder={placeholder}
        readOnly={readOnly}
        className={error ? "invalid" : ""}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          if (text.trim() === "") {
            setError(undefined);
            onChange(undefined);
            return;
          }
          const n = Number(text);
          if (!Number.isFinite(n)) setError(`${name} must be a number`);
          else if (schema.type === "integer" && !Number.isInteger(n)) setError(`${name} must be a whole number`);
          else if (typeof schema.minimum === "number" && n < schema.minimum) setError(`${name} must be at least ${schema.minimum}`);
          else if (typeof schema.maximum === "number" && n > schema.maximum) setError(`${name} must be at most ${schema.maximum}`);
          else {
            setError(undefined);
            onChange(n);
            return;
          }
        }}
      />
      {error && (
        <div className="field-error" role="alert">
          {error}; not applied
        </div>
      )}
    </>
  );
}

function JsonValueInput({
  name,
  value,
  onChange,
  readOnly,
  placeholder,
}: {
  name: string;
  value: JSONValue | undefined;
  onChange(v: JSONValue | undefined): void;
  readOnly: boolean;
  placeholder: string;
}) {
  const text = value === undefined ? "" : JSON.stringify(value);
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<string>();
  useEffect(() => {
    setDraft((d) => {
      try {
        return d.trim() !== "" && JSON.stringify(JSON.parse(d)) === text ? d : text;
      } catch {
        return d;
      }
    });
  }, [text]);
  return (
    <>
      <AutoTextarea
        className="mono"
        aria-label={name}
        value={draft}
        placeholder={placeholder || "JSON"}
        readOnly={readOnly}
        onChange={(e) => {
          setDraft(e.target.value);
          if (e.target.value.trim() === "") {
            setError(undefined);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value) as JSONValue);
            setError(undefined);
          } catch (err) {
            setError(`${name} is not valid JSON (${err instanceof Error ? err.message : err}); not applied`);
          }
        }}
      />
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </>
  );
}

/** A JSON object editor: applies only valid JSON objects, else shows why. */
export function RawJsonEditor({
  value,
  onChange,
  readOnly,
  label,
}: {
  value: ModelSettings;
  onChange(v: ModelSettings): void;
  readOnly: boolean;
  label: string;
}) {
  const text = JSON.stringify(value, null, 2);
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<string>();
  useEffect(() => {
    setDraft((d) => {
      try {
        return JSON.stringify(JSON.parse(d), null, 2) === text ? d : text;
      } catch {
        return d;
      }
    });
  }, [text]);
  return (
    <>
      <AutoTextarea
        className={`mono raw-json ${error ? "invalid" : ""}`}
        aria-label={label}
        value={draft}
        readOnly={readOnly}
        onChange={(e) => {
          setDraft(e.target.value);
          try {
            const parsed = JSON.parse(e.target.value) as unknown;
            if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
              throw new Error("settings must be a JSON object {...}");
            setError(undefined);
            onChange(parsed as ModelSettings);
          } catch (err) {
            setError(`not valid JSON settings: ${err instanceof Error ? err.message : err}; not applied`);
          }
        }}
      />
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </>
  );
}
