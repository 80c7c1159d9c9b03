/**
 * Loading a user's providers module (a JavaScript or TypeScript file that
 * registers extra providers): core's loader, which the CLI shares without
 * importing the editor.
 *
 * @packageDocumentation
 */
export {
  DEFAULT_PROVIDERS_MODULES,
  findProvidersModule,
  loadProvidersModule,
  modelsRegisteredByModules,
  ProvidersModuleError,
} from "@aiconfig-ts/core";
