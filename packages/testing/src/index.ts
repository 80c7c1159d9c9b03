export * from "./shared-paths.js";
export * from "./replay-server.js";
export * from "./sdk-load-probe.js";
export * from "./openai-compatible-mock.js";
export * from "./redis-server.js";
export * from "./fault-server.js";
export * from "./free-port.js";
export * from "./chromium.js";
