// Builds the static notebook page into dist-site/ (what `aiconfig export --site`
// copies): index.html and its scripts, styles and wasm under assets/, all served
// from the site's own origin (no CDN), relative paths so any folder of any static
// host works.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL("./src/page", import.meta.url)),
  base: "./",
  plugins: [react()],
  // the browser entries of core and the providers (the `browser` condition), from their TypeScript sources
  resolve: { conditions: [...defaultClientConditions, "source"] },
  build: {
    outDir: fileURLToPath(new URL("./dist-site", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    modulePreload: false,
    rolldownOptions: {
      output: {
        entryFileNames: "assets/site.js",
        chunkFileNames: "assets/[name]-[hash].js",
        assetFileNames: "assets/[name]-[hash][extname]",
      },
    },
  },
});
