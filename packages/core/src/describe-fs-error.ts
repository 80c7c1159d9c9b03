/**
 * Short, user-facing reasons for Node file-system errors.
 *
 * @packageDocumentation
 */

/** A short reason for a file-system error, e.g. `no such file`. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file or folder; check the path";
    case "EISDIR":
      return "it is a folder, not a file";
    case "ENOTDIR":
      return "a part of the path is a file, not a folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "ENOSPC":
      return "no space left on the device";
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
