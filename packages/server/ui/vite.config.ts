// Builds <aiconfig-notebook>, the web component another app renders to show a
// hosted notebook (the editor's React notebook in a shadow root, with its CSS),
// into dist/element/aiconfig-notebook.js: one ES module with React inside.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ["source"] },
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    outDir: fileURLToPath(new URL("../dist/element", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    minify: true,
    lib: {
      entry: fileURLToPath(new URL("./aiconfig-notebook.tsx", import.meta.url)),
      formats: ["es"],
      fileName: () => "aiconfig-notebook.js",
    },
  },
});
