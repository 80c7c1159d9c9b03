/**
 * The AI Workbook's UI as a component library: embed `<AIConfigNotebook
 * backendUrl=... token=... />` in another React app, with `styles.css`; or
 * `<AIConfigNotebook fetch={app.fetch} />` over the editor's routes running in the page.
 */
export { EditorApi, type EditorApiOptions, IN_PAGE_BACKEND_URL, type NotebookFetch } from "./api-client";
export { AIConfigNotebook, type AIConfigNotebookProps, type NotebookBarProps } from "./components/Notebook";
export {
  CopyBarControls,
  type CopyBarControlsProps,
  KeyRow,
  type KeyRowProps,
  ShareLinkBanner,
  ShareLinkField,
} from "./components/CopyBar";
export { downloadText } from "./download-text";
export { type ModelPickerProps, ModelPicker } from "./components/ModelPicker";
export { type TaskPickerProps, TaskPicker } from "./components/TaskPicker";
export { type ModelGroup, TASKS, groupModels, providerReadiness, taskDefaultModel } from "./model-catalog";
export type { EditorState, HostedState, ModelInfo, ProviderInfo } from "../../src/api-types";
