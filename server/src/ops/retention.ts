import { In } from "typeorm";
import type { Clock } from "../clock";
import type { Database } from "../db/database";
import type { Logger } from "../logging/logger";
import { Attachment } from "../modules/attachments/attachment.entity";
import type { AttachmentStore } from "../modules/attachments/attachment-store";
import { Ticket } from "../modules/tickets/ticket.entity";

const BATCH = 500;
const DAY_MS = 86_400_000;
const SWEEP_EVERY_MS = 6 * 3600_000;

/**
 * ATTACHMENT_RETENTION_DAYS: the files of tickets closed (status `closed`, untouched since) for
 * more than that many days are deleted, rows first (in one unit per batch), then their bytes.
 * The tickets and their messages stay. Off unless set.
 */
export class AttachmentRetention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly db: Database,
    private readonly store: AttachmentStore,
    private readonly days: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Deletes what is past retention now; returns how many files. One sweep at a time. */
  sweep(): Promise<number> {
    this.running ??= this.runSweep().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runSweep(): Promise<number> {
    const cutoff = this.db.dateParam(new Date(this.clock.now().getTime() - this.days * DAY_MS));
    let total = 0;
    for (;;) {
      const keys = await this.db.transaction(async (em) => {
        const rows = await em
          .getRepository(Attachment)
          .createQueryBuilder("a")
          .innerJoin(Ticket, "t", `"t"."id" = "a"."ticketId"`)
          .where(`"t"."status" = :status`, { status: "closed" })
          .andWhere(`"t"."updatedAt" < :cutoff`, { cutoff })
          .select(["a.id", "a.storageKey"])
          .limit(BATCH)
          .getMany();
        if (rows.length > 0) {
          await em.getRepository(Attachment).delete({ id: In(rows.map((r) => r.id)) });
        }
        return rows.map((r) => r.storageKey);
      });
      for (const key of keys) {
        await this.store.remove(key);
      }
      total += keys.length;
      if (keys.length < BATCH) {
        return total;
      }
    }
  }

  /** Sweeps now and every six hours until stop(). */
  start(): void {
    const run = () =>
      this.sweep().then(
        (removed) =>
          removed > 0 &&
          this.logger.info("server", "attachments past retention deleted", { removed }),
        (error: unknown) =>
          this.logger.warn("server", "attachment retention failed", { err: String(error) }),
      );
    void run();
    this.timer = setInterval(() => void run(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.running?.catch(() => undefined);
  }
}
