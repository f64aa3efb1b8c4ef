import { randomBytes } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { AuthUser } from "../../auth/principal";
import { CatalogAudit } from "./catalog-audit.entity";
import type { AuditChange, AuditSubject, AuditValue } from "./catalog-audit.entity";

export interface NewAuditEntry {
  subjectType: AuditSubject;
  subjectId: string;
  /** The variant the change concerns, when there is one (its history lists the entry). */
  variantId?: string | null;
  action: CatalogAudit["action"];
  changes: AuditChange[];
}

let lastMs = 0;
let counter = 0;

/**
 * A UUIDv7-style id: the time in ms, then a counter within the ms, then random bits. Audit
 * entries are listed by it, so entries written in the same instant (one request, a test's fixed
 * clock) still come out in the order they were written.
 */
export function orderedId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs += 1;
    counter = 0;
  }
  const ms = lastMs.toString(16).padStart(12, "0");
  const random = randomBytes(8);
  random[0] = (random[0] & 0x3f) | 0x80;
  const tail = random.toString("hex");
  const seq = counter.toString(16).padStart(3, "0");
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${seq}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

/** Appends one entry to the catalogue's audit trail, in the caller's transaction. */
export async function recordAudit(
  em: EntityManager,
  actor: AuthUser | null,
  entry: NewAuditEntry,
  now: Date,
): Promise<void> {
  await em.getRepository(CatalogAudit).insert({
    id: orderedId(),
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    variantId: entry.variantId ?? null,
    action: entry.action,
    actorId: actor?.id ?? null,
    actorName: actor?.name ?? null,
    changes: entry.changes,
    createdAt: now,
  });
}

/**
 * The fields of `patch` that differ from `current`, as audit changes (arrays compared by value).
 * Fields absent from the patch (undefined) are not changes.
 */
export function diff<T extends object>(current: T, patch: Partial<T>): AuditChange[] {
  const changes: AuditChange[] = [];
  for (const [field, to] of Object.entries(patch)) {
    if (to === undefined) {
      continue;
    }
    const from = ((current as Record<string, unknown>)[field] ?? null) as AuditValue;
    if (JSON.stringify(from) !== JSON.stringify(to)) {
      changes.push({ field, from, to: to as AuditValue });
    }
  }
  return changes;
}

/** The audit entries of a variant (its own edits, its TACs and certifications), newest first. */
export function listVariantAudit(em: EntityManager, variantId: string): Promise<CatalogAudit[]> {
  return em.getRepository(CatalogAudit).find({
    where: [{ variantId }, { subjectType: "variant", subjectId: variantId }],
    order: { createdAt: "DESC", id: "DESC" },
    take: 500,
  });
}
