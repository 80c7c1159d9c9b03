/**
 * Repeatable options (`-p a=1 -p b=2`) for commander: every value in the
 * order given, and `[]` when the option is absent, without the
 * "(default: [])" commander prints in `--help` for an option given a default.
 *
 * @packageDocumentation
 */
import { type Command, Option } from "commander";

const REPEATABLE = new WeakSet<Option>();

/**
 * A repeatable option: its value is the list of the values given, each
 * through `parse` (which may check it and throw a `UsageError`). Add it with
 * `command.addOption`; {@link emptyRepeatablesBeforeActions} makes it `[]`
 * when it is not given.
 */
export function repeatable(flags: string, description: string, parse: (value: string) => string = (value) => value): Option {
  const option = new Option(flags, description).argParser((value: string, previous: string[] | undefined) => [
    ...(previous ?? []),
    parse(value),
  ]);
  REPEATABLE.add(option);
  return option;
}

/** Before any command's action runs: each {@link repeatable} option not given is `[]`. */
export function emptyRepeatablesBeforeActions(program: Command): void {
  program.hook("preAction", (_program, command) => {
    for (const option of command.options) {
      const name = option.attributeName();
      if (REPEATABLE.has(option) && command.getOptionValue(name) === undefined) command.setOptionValue(name, []);
    }
  });
}
