/** A message across the top of the notebook. */
export interface Banner {
  kind: "error" | "info";
  message: string;
  /** Every problem, when the server listed more than one. */
  problems?: string[];
  /** A button that fixes the problem, e.g. "Run with dependencies". */
  action?: { label: string; run(): void };
}
