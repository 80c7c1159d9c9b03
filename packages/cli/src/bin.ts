#!/usr/bin/env node
// Bundled as CommonJS (dist/bin.cjs, scripts/build-bin.mjs): no top-level await.
import { main } from "./cli.js";

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
