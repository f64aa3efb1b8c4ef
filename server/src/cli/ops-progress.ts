import { Presets, SingleBar } from "cli-progress";
import type { OpsProgress } from "../ops/backup";

const LABELS: Record<OpsProgress["phase"], string> = {
  database: "database   ",
  attachments: "attachments",
  archive: "archive    ",
  checking: "checking   ",
  installing: "installing ",
};

/** A progress bar per phase on stderr (only when it is a terminal: logs stay clean). */
export function opsProgressBar(): { update(p: OpsProgress): void; stop(): void } {
  if (!process.stderr.isTTY) {
    return { update: () => undefined, stop: () => undefined };
  }
  const bar = new SingleBar(
    {
      format: "{phase} [{bar}] {percentage}% | {value}/{total}",
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let phase: OpsProgress["phase"] | null = null;
  return {
    update(p) {
      if (p.phase !== phase) {
        if (phase !== null) {
          bar.stop();
        }
        phase = p.phase;
        bar.start(p.total, p.done, { phase: LABELS[p.phase] });
      } else {
        bar.setTotal(p.total);
        bar.update(p.done);
      }
    },
    stop() {
      if (phase !== null) {
        bar.stop();
      }
    },
  };
}
