import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import session from "express-session";
import type { SessionData } from "express-session";
import { In, IsNull, LessThan, Not } from "typeorm";
import type { Database } from "../db/database";
import { SessionRow } from "./session.entity";

/** The stored key of a session id. Also the name of its socket room, never the id itself. */
export function sessionKey(sid: string): string {
  return createHash("sha256").update(sid, "utf8").digest("hex");
}

export interface SessionEvents {
  /**
   * Sessions that no longer exist (logout, disabled agent, password change, pruned after their
   * expiry); keys as above. Realtime closes their sockets.
   */
  ended: [keys: string[]];
}

/** Keys per query when many sessions are looked up at once (well under every engine's limit). */
const KEYS_PER_QUERY = 500;

type Callback = (error?: unknown) => void;

/** Touches closer together than this are skipped: a session read on every request stays cheap. */
const TOUCH_EVERY_MS = 60_000;

/**
 * express-session's store in Greydesk's own database (SQLite or PostgreSQL), so sessions survive
 * restarts and are shared by every server process. Expired rows are pruned on a timer.
 */
export class TypeormSessionStore extends session.Store {
  readonly events = new EventEmitter<SessionEvents>();
  private readonly touched = new Map<string, number>();
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Database) {
    super();
  }

  /** Starts pruning expired sessions every `everyMs`. */
  startPruning(everyMs = 15 * 60_000): void {
    this.pruneTimer = setInterval(() => void this.prune().catch(() => undefined), everyMs);
    this.pruneTimer.unref();
  }

  stopPruning(): void {
    if (this.pruneTimer !== null) {
      clearInterval(this.pruneTimer);
    }
    this.pruneTimer = null;
  }

  override get(
    sid: string,
    callback: (error: unknown, session?: SessionData | null) => void,
  ): void {
    this.db
      .read((em) => em.getRepository(SessionRow).findOneBy({ id: sessionKey(sid) }))
      .then((row) => {
        if (row === null || row.expiresAt.getTime() <= Date.now()) {
          return callback(null, null);
        }
        callback(null, JSON.parse(row.data) as SessionData);
      }, callback);
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    const id = sessionKey(sid);
    const row: SessionRow = {
      id,
      agentId: agentOf(data),
      data: JSON.stringify(data),
      expiresAt: expiryOf(data),
    };
    this.db
      .transaction((em) => em.getRepository(SessionRow).upsert(row, ["id"]))
      .then(
        () => {
          this.touched.set(id, Date.now());
          callback?.();
        },
        (error: unknown) => callback?.(error),
      );
  }

  override touch(sid: string, data: SessionData, callback?: Callback): void {
    const id = sessionKey(sid);
    const last = this.touched.get(id) ?? 0;
    if (Date.now() - last < TOUCH_EVERY_MS) {
      callback?.();
      return;
    }
    this.touched.set(id, Date.now());
    this.db
      .transaction((em) =>
        em.getRepository(SessionRow).update({ id }, { expiresAt: expiryOf(data) }),
      )
      .then(
        () => callback?.(),
        (error: unknown) => callback?.(error),
      );
  }

  override destroy(sid: string, callback?: Callback): void {
    const id = sessionKey(sid);
    this.touched.delete(id);
    this.db
      .transaction((em) => em.getRepository(SessionRow).delete({ id }))
      .then(
        () => {
          this.events.emit("ended", [id]);
          callback?.();
        },
        (error: unknown) => callback?.(error),
      );
  }

  /** Ends every session of an agent, but the one with key `exceptKey` (the caller's own). */
  async destroyForAgent(agentId: string, exceptKey: string | null = null): Promise<number> {
    const keys = await this.db.transaction(async (em) => {
      const repo = em.getRepository(SessionRow);
      const rows = await repo.find({
        where: exceptKey === null ? { agentId } : { agentId, id: Not(exceptKey) },
        select: { id: true },
      });
      const ids = rows.map((row) => row.id);
      if (ids.length > 0) {
        await repo.delete({ id: In(ids) });
      }
      return ids;
    });
    for (const key of keys) {
      this.touched.delete(key);
    }
    if (keys.length > 0) {
      this.events.emit("ended", keys);
    }
    return keys.length;
  }

  /**
   * Removes expired sessions; returns how many. The signed-in ones among them are announced as
   * ended, so a socket does not outlive a session that HTTP already refuses.
   */
  async prune(): Promise<number> {
    const now = new Date();
    const expired = LessThan(this.db.dateParam(now) as Date);
    const { removed, agentKeys } = await this.db.transaction(async (em) => {
      const repo = em.getRepository(SessionRow);
      // Only agents' sessions can have sockets; anonymous ones (CSRF tokens) need no listing.
      const agents = await repo.find({
        where: { expiresAt: expired, agentId: Not(IsNull()) },
        select: { id: true },
      });
      const result = await repo.delete({ expiresAt: expired });
      return { removed: result.affected ?? 0, agentKeys: agents.map((row) => row.id) };
    });
    for (const [key, at] of this.touched) {
      if (now.getTime() - at > 24 * 3600_000) {
        this.touched.delete(key);
      }
    }
    for (const key of agentKeys) {
      this.touched.delete(key);
    }
    if (agentKeys.length > 0) {
      this.events.emit("ended", agentKeys);
    }
    return removed;
  }

  /**
   * The keys, among `keys`, of sessions that still exist and have not expired: what get() would
   * still load. Realtime asks this for the sessions of its open sockets.
   */
  async liveKeys(keys: string[]): Promise<Set<string>> {
    const live = new Set<string>();
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
      const chunk = keys.slice(i, i + KEYS_PER_QUERY);
      const rows = await this.db.read((em) =>
        em
          .getRepository(SessionRow)
          .find({ where: { id: In(chunk) }, select: { id: true, expiresAt: true } }),
      );
      const now = Date.now();
      for (const row of rows) {
        if (row.expiresAt.getTime() > now) {
          live.add(row.id);
        }
      }
    }
    return live;
  }
}

function agentOf(data: SessionData): string | null {
  const user = (data as { passport?: { user?: unknown } }).passport?.user;
  return typeof user === "string" ? user : null;
}

function expiryOf(data: SessionData): Date {
  const expires = data.cookie?.expires;
  return expires ? new Date(expires) : new Date(Date.now() + 24 * 3600_000);
}
