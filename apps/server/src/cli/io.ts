/** Where the command line reads and writes; injected so tests can capture it. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
  readonly isTTY: boolean;
  /** Aborted on Ctrl-C: a running job stops cleanly. */
  readonly signal?: AbortSignal;
  /** Shows a one-line progress indicator (a terminal); '' clears it. */
  readonly progress?: (line: string) => void;
}
