/**
 * Runs a command's `main` when its file is the process entry: its answer becomes the exit code;
 * a failure it did not expect is printed as `<failure>: <message>` (no stack) and exits 1.
 */
export function runCommand(entry: NodeModule, main: () => Promise<number>, failure: string): void {
  if (require.main !== entry) {
    return;
  }
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${failure}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
