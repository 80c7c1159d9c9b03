/** Exit codes of the `aiconfig` command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;
