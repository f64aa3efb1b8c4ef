/**
 * Runs `work(key)` at most once per `everyMs` for each key: at once when the key was quiet, and
 * once more at the end of the interval if it was asked for again meanwhile. The work reads the
 * state when it runs, so the late run carries the latest state and nothing in between is lost.
 */
export class Coalescer {
  /** Keys inside their quiet interval, with whether they were asked for again. */
  private readonly cooling = new Map<string, { timer: NodeJS.Timeout; again: boolean }>();

  constructor(
    private readonly everyMs: number,
    private readonly work: (key: string) => void,
  ) {}

  request(key: string): void {
    const cooling = this.cooling.get(key);
    if (cooling !== undefined) {
      cooling.again = true;
      return;
    }
    this.run(key);
  }

  private run(key: string): void {
    const timer = setTimeout(() => {
      const again = this.cooling.get(key)?.again ?? false;
      this.cooling.delete(key);
      if (again) {
        this.run(key);
      }
    }, this.everyMs);
    timer.unref();
    this.cooling.set(key, { timer, again: false });
    this.work(key);
  }

  /** Drops what is pending (the server is closing). */
  clear(): void {
    for (const { timer } of this.cooling.values()) {
      clearTimeout(timer);
    }
    this.cooling.clear();
  }
}
