export * from "./portable.js";
export * from "./write-file-atomic.js";
export * from "./providers-module.js";
export * from "./trusted-folders.js";
export * from "./batch/run-batch.js";
export * from "./batch/batch-scheduler.js";
export * from "./batch/shared-token-budget.js";
