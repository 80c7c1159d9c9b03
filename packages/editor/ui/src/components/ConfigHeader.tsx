import type { AIConfig, JSONObject, ModelSettings } from "@aiconfig-ts/core";
import { memo, useState } from "react";
import { renderMarkdown } from "../markdown";
import { useNotebook } from "../notebook-context";
import { AutoTextarea } from "./AutoTextarea";
import { ModelPicker } from "./ModelPicker";
import { ParametersEditor } from "./ParametersEditor";
import { SettingsEditor } from "./SettingsEditor";

/** Props of {@link ConfigHeader}. */
export interface ConfigHeaderProps {
  doc: AIConfig;
  knownModels: ReadonlySet<string>;
  /** Changes the document's root; `key` merges typing into one undo step. */
  onChange(change: (d: AIConfig) => AIConfig, key?: string): void;
}

/** The config's name, description (markdown), default model, global parameters and global model settings. */
export const ConfigHeader = memo(function ConfigHeader({ doc, knownModels, onChange }: ConfigHeaderProps) {
  const { readOnly, providerFor, actions, staticPage } = useNotebook();
  const [editingDescription, setEditingDescription] = useState(false);
  const [open, setOpen] = useState<"parameters" | "models" | undefined>();
  const parameters = (doc.metadata?.parameters as JSONObject | undefined) ?? {};
  const models = doc.metadata?.models ?? {};
  const [newModel, setNewModel] = useState("");
  const setMetadata = (change: (m: AIConfig["metadata"]) => AIConfig["metadata"], key?: string) =>
    onChange((d) => ({ ...d, metadata: change(d.metadata ?? {}) }), key);
  const setModelSettings = (model: string, settings: ModelSettings | undefined, key?: string) =>
    setMetadata((m) => {
      const next = { ...(m.models ?? {}) };
      if (settings === undefined) delete next[model];
      else next[model] = settings;
      return { ...m, models: next };
    }, key);

  return (
    <div className="config-header">
      <input
        className="config-name"
        aria-label="config name"
        value={doc.name}
        readOnly={readOnly}
        placeholder="Untitled config"
        onChange={(e) => onChange((d) => ({ ...d, name: e.target.value }), "config:name")}
      />
      <div className="description">
        {editingDescription && !readOnly ? (
          <AutoTextarea
            autoFocus
            aria-label="config description"
            value={doc.description ?? ""}
            placeholder="Describe this config (markdown)"
            onChange={(e) => onChange((d) => ({ ...d, description: e.target.value }), "config:description")}
            onBlur={() => setEditingDescription(false)}
          />
        ) : doc.description ? (
          // biome-ignore lint/a11y/noStaticElementInteractions: a click on the rendered description edits it (Enter too)
          <div
            className="markdown description-view"
            title={readOnly ? undefined : "Click to edit"}
            onClick={() => setEditingDescription(true)}
            onKeyDown={(e) => {
              if (e.key === "Enter") setEditingDescription(true);
            }}
            // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown escapes raw HTML
            dangerouslySetInnerHTML={{ __html: renderMarkdown(doc.description) }}
          />
        ) : (
          !readOnly && (
            <button type="button" className="link-button" onClick={() => setEditingDescription(true)}>
              + Add a description
            </button>
          )
        )}
      </div>
      <div className="config-bar">
        <span className="default-model">
          Default model{" "}
          <ModelPicker
            value={doc.metadata?.default_model}
            known={knownModels}
            readOnly={readOnly}
            label="default model"
            placeholder="none"
            onChange={(name) =>
              setMetadata((m) => {
                const { default_model: _old, ...rest } = m;
                return name ? { ...rest, default_model: name } : rest;
              })
            }
          />
        </span>
        <button
          type="button"
          className={`tab ${open === "parameters" ? "open" : ""}`}
          onClick={() => setOpen(open === "parameters" ? undefined : "parameters")}
        >
          Global parameters ({Object.keys(parameters).length})
        </button>
        <button
          type="button"
          className={`tab ${open === "models" ? "open" : ""}`}
          onClick={() => setOpen(open === "models" ? undefined : "models")}
        >
          Global model settings ({Object.keys(models).length})
        </button>
      </div>
      {open === "parameters" && (
        <ParametersEditor
          parameters={parameters}
          readOnly={readOnly}
          label="global parameters"
          onRenamed={(from, to) => actions.offerParameterRename(from, to)}
          onChange={(params, key) => setMetadata((m) => ({ ...m, parameters: params }), key && `global:${key}`)}
        />
      )}
      {open === "models" && (
        <div className="global-models">
          {Object.entries(models).map(([model, settings]) => (
            <div className="global-model" key={model}>
              <div className="global-model-head">
                <strong>{model}</strong> {!staticPage && <span className="muted small">{providerFor(model)?.id ?? "no provider"}</span>}
                {!readOnly && (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`remove settings of ${model}`}
                    onClick={() => setModelSettings(model, undefined)}
                  >
                    ×
                  </button>
                )}
              </div>
              <SettingsEditor
                settings={settings}
                schema={providerFor(model)?.settingsSchema}
                readOnly={readOnly}
                label={`global settings of ${model}`}
                ownSource="file"
                model={model}
                onChange={(s, key) => setModelSettings(model, s, key && `global:${model}:${key}`)}
              />
            </div>
          ))}
          {!readOnly && (
            <div className="add-model">
              <ModelPicker
                value={newModel}
                known={knownModels}
                readOnly={false}
                label="model to add settings for"
                placeholder="model name"
                onChange={setNewModel}
              />
              <button
                type="button"
                className="button"
                disabled={newModel === "" || newModel in models}
                onClick={() => {
                  setModelSettings(newModel, {});
                  setNewModel("");
                }}
              >
                Add model settings
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
});
