export * from "./shared-paths.js";
export * from "./replay-server.js";
