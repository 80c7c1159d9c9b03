export { EXIT, main } from "./cli.js";
export { reportError } from "./report-error.js";
export { registerBuiltinProviders, registerLazyProviders, promptModels } from "./builtin-providers.js";
export { openRuntime, registerProviders, type OpenOptions } from "./open-runtime.js";
export { readParameters } from "./parameters.js";
export { UsageError } from "./usage-error.js";
