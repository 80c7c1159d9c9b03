/**
 * The AI Workbook's UI as a component library: embed `<AIConfigNotebook
 * backendUrl=... token=... />` in another React app, with `styles.css`.
 */
export { AIConfigNotebook, type AIConfigNotebookProps } from "./components/Notebook";
