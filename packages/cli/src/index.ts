export { EXIT, main, reportError } from "./cli.js";
export { registerBuiltinProviders } from "./builtin-providers.js";
export { openRuntime, registerProviders, type OpenOptions } from "./open-runtime.js";
export { readParameters } from "./parameters.js";
export { UsageError } from "./usage-error.js";
