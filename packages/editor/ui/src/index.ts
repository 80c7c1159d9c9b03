/**
 * The AI Workbook's UI as a component library: embed `<AIConfigNotebook
 * backendUrl=... token=... />` in another React app, with `styles.css`.
 */
export { AIConfigNotebook, type AIConfigNotebookProps } from "./components/Notebook";
export { type ModelPickerProps, ModelPicker } from "./components/ModelPicker";
export { type TaskPickerProps, TaskPicker } from "./components/TaskPicker";
export { type ModelGroup, TASKS, groupModels, providerReadiness, taskDefaultModel } from "./model-catalog";
