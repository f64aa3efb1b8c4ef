import { randomUUID } from "node:crypto";
import { In } from "typeorm";
import type { EntityManager } from "typeorm";
import type {
  BulkCertificationInput,
  BulkCertificationResultDto,
  CarrierBandDto,
  CarrierDto,
  CertificationDto,
  CreateCarrierBandInput,
  CreateCarrierInput,
  PutCertificationInput,
  SettingsDto,
  UpdateCarrierBandInput,
  UpdateCarrierInput,
  UpdateSettingsInput,
} from "../../../../shared/contracts/http/catalog";
import { bandLabel, isValidBand } from "../../../../shared/domain/bands";
import {
  CALLING_STATUS_LABELS,
  CERTIFICATION_STATUS_LABELS,
  SETTING_KEYS,
} from "../../../../shared/domain/catalog";
import type { AuthUser } from "../../auth/principal";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { ConflictError, NotFoundError, ValidationError } from "../../errors/app-error";
import type { AuditChange } from "../catalog/catalog-audit.entity";
import { diff, recordAudit } from "../catalog/catalog-audit.repository";
import type { TicketHistory } from "../catalog/ports";
import { presentCertification } from "./carriers.presenter";
import { DeviceVariant } from "../catalog/device-variant.entity";
import { deskCarrierId } from "./verdicts";
import { Setting } from "../settings/setting.entity";
import type { TicketNotifier } from "../../events/facts";
import { Carrier } from "./carrier.entity";
import { CarrierBand } from "./carrier-band.entity";
import { Certification } from "./certification.entity";

function presentBand(row: CarrierBand): CarrierBandDto {
  return {
    id: row.id,
    technology: row.technology,
    band: row.band,
    role: row.role,
    fromDate: row.fromDate,
    untilDate: row.untilDate,
    requiresVolte: row.requiresVolte,
    note: row.note,
  };
}

/** A band row in words for the audit: "LTE B12 primary 2015-01-01..open, VoLTE only". */
function describeBand(row: Omit<CarrierBand, "id" | "carrierId">): string {
  const dates = `${row.fromDate ?? "always"}..${row.untilDate ?? "open"}`;
  return (
    `${row.technology.toUpperCase()} ${bandLabel(row.technology, row.band)} ${row.role} ${dates}` +
    (row.requiresVolte ? ", VoLTE only" : "")
  );
}

/**
 * Carriers with their dated band profiles, the certification of variants with them, and the
 * desk's own carrier. Every change is audited; a certification change on the desk's carrier is
 * also written on each open ticket of the variant.
 */
export class CarriersService {
  constructor(
    private readonly db: Database,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
    /** The tickets a certification change is noted on, from tickets. */
    private readonly tickets: TicketHistory,
  ) {}

  async list(): Promise<CarrierDto[]> {
    return this.db.read(async (em) => {
      const carriers = await em.getRepository(Carrier).find({
        relations: { bands: true },
        order: { name: "ASC" },
      });
      const desk = await deskCarrierId(em);
      return carriers.map((carrier) => this.present(carrier, desk));
    });
  }

  async get(id: string): Promise<CarrierDto> {
    return this.db.read(async (em) => {
      const carrier = await em
        .getRepository(Carrier)
        .findOne({ where: { id }, relations: { bands: true } });
      if (carrier === null) {
        throw new NotFoundError("Carrier");
      }
      return this.present(carrier, await deskCarrierId(em));
    });
  }

  async create(user: AuthUser, input: CreateCarrierInput): Promise<CarrierDto> {
    const now = this.clock.now();
    const id = randomUUID();
    await this.db.transaction(async (em) => {
      if (await em.getRepository(Carrier).existsBy({ code: input.code })) {
        throw new ConflictError(`A carrier with the code ${input.code} exists`);
      }
      await em.getRepository(Carrier).insert({
        id,
        code: input.code,
        name: input.name,
        country: input.country,
        notes: input.notes ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await recordAudit(
        em,
        user,
        {
          subjectType: "carrier",
          subjectId: id,
          action: "created",
          changes: [
            { field: "code", from: null, to: input.code },
            { field: "name", from: null, to: input.name },
            { field: "country", from: null, to: input.country },
          ],
        },
        now,
      );
    });
    return this.get(id);
  }

  async update(user: AuthUser, id: string, input: UpdateCarrierInput): Promise<CarrierDto> {
    const now = this.clock.now();
    await this.db.transaction(async (em) => {
      const current = await this.requireCarrier(em, id);
      const changes = diff(current, { name: input.name, notes: input.notes });
      if (changes.length === 0) {
        return;
      }
      await em
        .getRepository(Carrier)
        .update(
          { id },
          { ...Object.fromEntries(changes.map((c) => [c.field, c.to])), updatedAt: now },
        );
      await recordAudit(
        em,
        user,
        { subjectType: "carrier", subjectId: id, action: "updated", changes },
        now,
      );
    });
    return this.get(id);
  }

  /** Adds a dated row to a carrier's band profile. */
  async addBand(
    user: AuthUser,
    carrierId: string,
    input: CreateCarrierBandInput,
  ): Promise<CarrierDto> {
    const now = this.clock.now();
    const followers = await this.db.transaction(async (em) => {
      await this.requireCarrier(em, carrierId);
      const row: CarrierBand = {
        id: randomUUID(),
        carrierId,
        technology: input.technology,
        band: input.band,
        role: input.role,
        fromDate: input.fromDate ?? null,
        untilDate: input.untilDate ?? null,
        requiresVolte: input.requiresVolte ?? false,
        note: input.note ?? null,
      };
      checkBandRow(row);
      await em.getRepository(CarrierBand).insert(row);
      await recordAudit(
        em,
        user,
        {
          subjectType: "carrier",
          subjectId: carrierId,
          action: "updated",
          changes: [{ field: `band ${row.id}`, from: null, to: describeBand(row) }],
        },
        now,
      );
      await em.getRepository(Carrier).update({ id: carrierId }, { updatedAt: now });
      return this.verdictFollowers(em, carrierId);
    });
    this.announce(followers);
    return this.get(carrierId);
  }

  /** Changes a row of a band profile (its dates, role, the VoLTE rule, the note). */
  async updateBand(
    user: AuthUser,
    carrierId: string,
    bandId: string,
    input: UpdateCarrierBandInput,
  ): Promise<CarrierDto> {
    const now = this.clock.now();
    const followers = await this.db.transaction(async (em) => {
      const current = await this.requireBand(em, carrierId, bandId);
      const changes = diff(current, input as Partial<CarrierBand>);
      if (changes.length === 0) {
        return [];
      }
      const next = { ...current, ...Object.fromEntries(changes.map((c) => [c.field, c.to])) };
      checkBandRow(next);
      await em
        .getRepository(CarrierBand)
        .update({ id: bandId }, Object.fromEntries(changes.map((c) => [c.field, c.to])));
      await recordAudit(
        em,
        user,
        {
          subjectType: "carrier",
          subjectId: carrierId,
          action: "updated",
          changes: [
            { field: `band ${bandId}`, from: describeBand(current), to: describeBand(next) },
          ],
        },
        now,
      );
      await em.getRepository(Carrier).update({ id: carrierId }, { updatedAt: now });
      return this.verdictFollowers(em, carrierId);
    });
    this.announce(followers);
    return this.get(carrierId);
  }

  async deleteBand(user: AuthUser, carrierId: string, bandId: string): Promise<void> {
    const now = this.clock.now();
    const followers = await this.db.transaction(async (em) => {
      const current = await this.requireBand(em, carrierId, bandId);
      await em.getRepository(CarrierBand).delete({ id: bandId });
      await recordAudit(
        em,
        user,
        {
          subjectType: "carrier",
          subjectId: carrierId,
          action: "updated",
          changes: [{ field: `band ${bandId}`, from: describeBand(current), to: null }],
        },
        now,
      );
      await em.getRepository(Carrier).update({ id: carrierId }, { updatedAt: now });
      return this.verdictFollowers(em, carrierId);
    });
    this.announce(followers);
  }

  /** Certifications of every variant with one carrier. */
  async certificationsOf(carrierId: string): Promise<CertificationDto[]> {
    return this.db.read(async (em) => {
      await this.requireCarrier(em, carrierId, false);
      const rows = await em
        .getRepository(Certification)
        .find({ where: { carrierId }, relations: { carrier: true }, order: { updatedAt: "DESC" } });
      return rows.map(presentCertification);
    });
  }

  /**
   * Records where a variant stands with a carrier (the whole record). The change is audited; on
   * the desk's carrier it is also written on every open ticket of the variant, for the agents.
   */
  async putCertification(
    user: AuthUser,
    variantId: string,
    carrierId: string,
    input: PutCertificationInput,
  ): Promise<CertificationDto> {
    const now = this.clock.now();
    const ticketIds = await this.db.transaction(async (em) => {
      const variant = await em.getRepository(DeviceVariant).findOneBy({ id: variantId });
      if (variant === null) {
        throw new NotFoundError("Variant");
      }
      const carrier = await em.getRepository(Carrier).findOneBy({ id: carrierId });
      if (carrier === null) {
        throw new NotFoundError("Carrier");
      }
      if (variant.volteCapable === "no" && input.volte !== "not_capable") {
        throw new ValidationError("The request is not valid", [
          { path: "volte", message: "must be not_capable: this variant cannot do VoLTE" },
        ]);
      }
      const current = await em
        .getRepository(Certification)
        .findOne({ where: { variantId, carrierId }, ...this.db.forUpdate });
      const changes = await this.writeCertification(
        em,
        user,
        variantId,
        carrierId,
        current,
        {
          status: input.status,
          volte: input.volte,
          wifiCalling: input.wifiCalling,
          reference: input.reference ?? null,
          statusDate: input.statusDate ?? null,
        },
        now,
      );
      const visible = visibleChanges(changes);
      if (visible.length === 0 || (await deskCarrierId(em)) !== carrierId) {
        return [];
      }
      const tickets = await this.tickets.openTicketsOfVariant(em, variantId, false);
      for (const ticket of tickets) {
        await this.tickets.append(
          em,
          ticket.id,
          {
            type: "handset_changed",
            public: false,
            actorType: "agent",
            actorId: user.id,
            actorName: user.name,
            body: `Certification of ${variant.name} with ${carrier.name} changed (${describeChanges(visible)}).`,
            changes: historyChanges(visible),
          },
          now,
        );
      }
      return tickets.map((t) => t.id);
    });
    this.announceCertificationChange(ticketIds, []);
    return this.db.read(async (em) => {
      const row = await em
        .getRepository(Certification)
        .findOneOrFail({ where: { variantId, carrierId }, relations: { carrier: true } });
      return presentCertification(row);
    });
  }

  /**
   * Sets one status (and VoLTE, Wi-Fi calling, reference, date when named) for many variants
   * with one carrier, in one transaction: every variant's record is written and audited as the
   * single PUT does, and, on the desk's carrier, each open ticket the change reaches gets one
   * internal note naming its variant and the change and, when asked, one public update, however
   * many of the variants it touches. A variant already as asked changes nothing, so the same
   * request twice adds nothing. `dryRun` counts the same and writes nothing.
   */
  async bulkCertification(
    user: AuthUser,
    carrierId: string,
    input: BulkCertificationInput,
  ): Promise<BulkCertificationResultDto> {
    const now = this.clock.now();
    const dryRun = input.dryRun ?? false;
    const run = async (em: EntityManager) => {
      const carrier = await em
        .getRepository(Carrier)
        .findOne({ where: { id: carrierId }, ...(dryRun ? {} : this.db.forUpdate) });
      if (carrier === null) {
        throw new NotFoundError("Carrier");
      }
      const variants = await em
        .getRepository(DeviceVariant)
        .find({ where: { id: In(input.variantIds) }, relations: { model: true } });
      const byId = new Map(variants.map((v) => [v.id, v]));
      const currentRows = await em.getRepository(Certification).find({
        where: { carrierId, variantId: In(input.variantIds) },
        ...(dryRun ? {} : this.db.forUpdate),
      });
      const current = new Map(currentRows.map((row) => [row.variantId, row]));
      const desk = (await deskCarrierId(em)) === carrierId;

      const problems: { path: string; message: string }[] = [];
      const plans: { variant: DeviceVariant; next: CertificationRecord }[] = [];
      input.variantIds.forEach((id, index) => {
        const variant = byId.get(id);
        if (variant === undefined) {
          problems.push({ path: `variantIds.${index}`, message: "is not a variant" });
          return;
        }
        const name = variantName(variant);
        const existing = current.get(id) ?? null;
        const volte = input.volte ?? existing?.volte;
        const wifiCalling = input.wifiCalling ?? existing?.wifiCalling;
        if (volte === undefined) {
          problems.push({
            path: "volte",
            message: `is required: ${name} has no certification with ${carrier.name} yet`,
          });
        } else if (variant.volteCapable === "no" && volte !== "not_capable") {
          problems.push({
            path: "volte",
            message: `must be not_capable for ${name}: it cannot do VoLTE`,
          });
        }
        if (wifiCalling === undefined) {
          problems.push({
            path: "wifiCalling",
            message: `is required: ${name} has no certification with ${carrier.name} yet`,
          });
        }
        if (volte !== undefined && wifiCalling !== undefined) {
          plans.push({
            variant,
            next: {
              status: input.status,
              volte,
              wifiCalling,
              reference:
                input.reference === undefined ? (existing?.reference ?? null) : input.reference,
              statusDate:
                input.statusDate === undefined ? (existing?.statusDate ?? null) : input.statusDate,
            },
          });
        }
      });
      if (input.publicMessage !== undefined && !desk) {
        problems.push({
          path: "publicMessage",
          message: `cannot be sent: tickets follow the desk's carrier, not ${carrier.name}`,
        });
      }
      if (problems.length > 0) {
        throw new ValidationError("The request is not valid", problems);
      }

      const changedVariantIds: string[] = [];
      // Each ticket once, with the variants of it that changed.
      const reached = new Map<string, { variant: DeviceVariant; visible: AuditChange[] }[]>();
      for (const { variant, next } of plans) {
        const before = current.get(variant.id) ?? null;
        const changes = dryRun
          ? diff(before ?? {}, next)
          : await this.writeCertification(em, user, variant.id, carrierId, before, next, now);
        if (changes.length === 0) {
          continue;
        }
        changedVariantIds.push(variant.id);
        const visible = visibleChanges(changes);
        if (!desk || visible.length === 0) {
          continue;
        }
        for (const ticket of await this.tickets.openTicketsOfVariant(em, variant.id, false)) {
          reached.set(ticket.id, [...(reached.get(ticket.id) ?? []), { variant, visible }]);
        }
      }

      const events: { ticketId: string; eventId: string }[] = [];
      let publicMessages = 0;
      if (!dryRun) {
        const changedCount = changedVariantIds.length;
        for (const [ticketId, touched] of reached) {
          const what = touched
            .map(({ variant, visible }) => `${variantName(variant)} (${describeChanges(visible)})`)
            .join("; ");
          const noteId = await this.tickets.append(
            em,
            ticketId,
            {
              type: "note",
              public: false,
              actorType: "agent",
              actorId: user.id,
              actorName: user.name,
              body:
                `Certification with ${carrier.name} changed for ${what}, ` +
                `in a bulk update of ${changedCount} variant${changedCount === 1 ? "" : "s"}.`,
              changes: touched.flatMap(({ visible }) => historyChanges(visible)),
            },
            now,
          );
          events.push({ ticketId, eventId: noteId });
          if (input.publicMessage !== undefined) {
            const messageId = await this.tickets.append(
              em,
              ticketId,
              {
                type: "message",
                public: true,
                actorType: "agent",
                actorId: user.id,
                actorName: user.name,
                body: input.publicMessage,
              },
              now,
            );
            // A public reply counts as a response: the SLA clocks follow at once; and the
            // customer gets it by email, as any reply.
            await this.tickets.changed(em, ticketId, now);
            await this.tickets.mailPublicMessage(
              em,
              ticketId,
              { agentName: user.name, body: input.publicMessage },
              now,
            );
            events.push({ ticketId, eventId: messageId });
            publicMessages += 1;
          }
        }
      }
      const ticketIds = [...reached.keys()];
      const result: BulkCertificationResultDto = {
        dryRun,
        deskCarrier: desk,
        variants: input.variantIds.length,
        changed: changedVariantIds.length,
        unchanged: input.variantIds.length - changedVariantIds.length,
        changedVariantIds,
        tickets: ticketIds.length,
        ticketIds,
        notes: dryRun ? 0 : ticketIds.length,
        publicMessages,
      };
      return { result, events };
    };
    if (dryRun) {
      return (await this.db.read(run)).result;
    }
    const { result, events } = await this.db.transaction(run);
    this.announceCertificationChange(result.ticketIds, events);
    return result;
  }

  /**
   * After commit: the tickets a certification change was written on, for every console showing
   * them (the single PUT and the bulk update both announce here), and the new entries of their
   * history.
   */
  private announceCertificationChange(
    ticketIds: readonly string[],
    events: readonly { ticketId: string; eventId: string }[],
  ): void {
    for (const { ticketId, eventId } of events) {
      this.notifier.emit("ticket.event", ticketId, eventId);
    }
    for (const ticketId of ticketIds) {
      this.notifier.emit("ticket.updated", ticketId);
    }
  }

  /**
   * Writes a variant's certification with a carrier (inserted or updated) and audits it; gives
   * the changes, none when the record was already `next`.
   */
  private async writeCertification(
    em: EntityManager,
    user: AuthUser,
    variantId: string,
    carrierId: string,
    current: Certification | null,
    next: CertificationRecord,
    now: Date,
  ): Promise<AuditChange[]> {
    const repo = em.getRepository(Certification);
    let changes: AuditChange[];
    let id: string;
    if (current === null) {
      id = randomUUID();
      changes = diff({}, next);
      await repo.insert({
        id,
        variantId,
        carrierId,
        ...next,
        updatedById: user.id,
        createdAt: now,
        updatedAt: now,
      });
    } else {
      id = current.id;
      changes = diff(current, next);
      if (changes.length === 0) {
        return [];
      }
      await repo.update({ id }, { ...next, updatedById: user.id, updatedAt: now });
    }
    await recordAudit(
      em,
      user,
      {
        subjectType: "certification",
        subjectId: id,
        variantId,
        action: current === null ? "created" : "updated",
        changes:
          current === null
            ? [{ field: "carrierId", from: null, to: carrierId }, ...changes]
            : changes,
      },
      now,
    );
    return changes;
  }

  /** The desk's settings. */
  async settings(): Promise<SettingsDto> {
    return this.db.read(async (em) => this.presentSettings(em));
  }

  /** Changes the carrier the desk sells on (audited). */
  async updateSettings(user: AuthUser, input: UpdateSettingsInput): Promise<SettingsDto> {
    const now = this.clock.now();
    const { settings, followers } = await this.db.transaction(async (em) => {
      const carrier = await em.getRepository(Carrier).findOneBy({ id: input.deskCarrierId });
      if (carrier === null) {
        throw new ValidationError("The request is not valid", [
          { path: "deskCarrierId", message: "is not a carrier" },
        ]);
      }
      const before = await deskCarrierId(em);
      if (before !== carrier.id) {
        await em.getRepository(Setting).upsert(
          {
            key: SETTING_KEYS.deskCarrier,
            value: carrier.id,
            updatedById: user.id,
            updatedAt: now,
          },
          ["key"],
        );
        await recordAudit(
          em,
          user,
          {
            subjectType: "setting",
            subjectId: SETTING_KEYS.deskCarrier,
            action: "updated",
            changes: [{ field: "deskCarrierId", from: before, to: carrier.id }],
          },
          now,
        );
      }
      return {
        settings: await this.presentSettings(em),
        // Every open ticket's verdict now is on the new carrier.
        followers: before !== carrier.id ? await this.tickets.openTicketIdsWithVariant(em) : [],
      };
    });
    this.announce(followers);
    return settings;
  }

  /**
   * The open tickets whose verdict now follows this carrier's band profile: on the desk's carrier,
   * every open ticket whose handset's variant is known; on another carrier, none.
   */
  private async verdictFollowers(em: EntityManager, carrierId: string): Promise<string[]> {
    return (await deskCarrierId(em)) === carrierId ? this.tickets.openTicketIdsWithVariant(em) : [];
  }

  /** Tells every console showing these tickets that their verdict now changed (after commit). */
  private announce(ticketIds: readonly string[]): void {
    for (const ticketId of ticketIds) {
      this.notifier.emit("ticket.updated", ticketId);
    }
  }

  private async presentSettings(em: EntityManager): Promise<SettingsDto> {
    const id = await deskCarrierId(em);
    const carrier = id === null ? null : await em.getRepository(Carrier).findOneBy({ id });
    if (carrier === null) {
      throw new NotFoundError("Carrier");
    }
    return { deskCarrier: { id: carrier.id, code: carrier.code, name: carrier.name } };
  }

  private present(carrier: Carrier, desk: string | null): CarrierDto {
    const bands = [...(carrier.bands ?? [])].sort(
      (a, b) =>
        TECH_ORDER.indexOf(a.technology) - TECH_ORDER.indexOf(b.technology) ||
        ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) ||
        a.band - b.band ||
        (a.fromDate ?? "").localeCompare(b.fromDate ?? ""),
    );
    return {
      id: carrier.id,
      code: carrier.code,
      name: carrier.name,
      country: carrier.country,
      notes: carrier.notes,
      desk: carrier.id === desk,
      bands: bands.map(presentBand),
      createdAt: carrier.createdAt.toISOString(),
      updatedAt: carrier.updatedAt.toISOString(),
    };
  }

  /** The carrier, locked until commit when `lock` (only inside a transaction). */
  private async requireCarrier(em: EntityManager, id: string, lock = true): Promise<Carrier> {
    const carrier = await em
      .getRepository(Carrier)
      .findOne({ where: { id }, ...(lock ? this.db.forUpdate : {}) });
    if (carrier === null) {
      throw new NotFoundError("Carrier");
    }
    return carrier;
  }

  private async requireBand(
    em: EntityManager,
    carrierId: string,
    bandId: string,
  ): Promise<CarrierBand> {
    await this.requireCarrier(em, carrierId);
    const band = await em.getRepository(CarrierBand).findOneBy({ id: bandId, carrierId });
    if (band === null) {
      throw new NotFoundError("Band");
    }
    return band;
  }
}

const TECH_ORDER = ["lte", "nr", "umts", "gsm", "cdma"];
const ROLE_ORDER = ["primary", "low_band", "supplementary"];

function checkBandRow(
  row: Pick<CarrierBand, "technology" | "band" | "fromDate" | "untilDate">,
): void {
  const problems: { path: string; message: string }[] = [];
  if (!isValidBand(row.technology, row.band)) {
    problems.push({ path: "band", message: `is not a ${row.technology.toUpperCase()} band` });
  }
  if (row.fromDate !== null && row.untilDate !== null && row.untilDate <= row.fromDate) {
    problems.push({ path: "untilDate", message: "must be after fromDate" });
  }
  if (problems.length > 0) {
    throw new ValidationError("The request is not valid", problems);
  }
}

type CertificationRecord = Pick<
  Certification,
  "status" | "volte" | "wifiCalling" | "reference" | "statusDate"
>;

/** The changes agents see on a ticket (the reference and date stay in the audit). */
function visibleChanges(changes: readonly AuditChange[]): AuditChange[] {
  return changes.filter((c) => ["status", "volte", "wifiCalling"].includes(c.field));
}

function certificationLabel(field: string, value: unknown): string {
  return value === null || value === undefined
    ? "none"
    : field === "status"
      ? CERTIFICATION_STATUS_LABELS[value as keyof typeof CERTIFICATION_STATUS_LABELS]
      : CALLING_STATUS_LABELS[value as keyof typeof CALLING_STATUS_LABELS];
}

/** "status: in testing -> certified; VoLTE: none -> whitelisted". */
function describeChanges(visible: readonly AuditChange[]): string {
  return visible
    .map(
      (c) =>
        `${c.field === "wifiCalling" ? "Wi-Fi calling" : c.field === "volte" ? "VoLTE" : "status"}: ${certificationLabel(c.field, c.from)} -> ${certificationLabel(c.field, c.to)}`,
    )
    .join("; ");
}

function historyChanges(visible: readonly AuditChange[]) {
  return visible.map((c) => ({
    field: `certification.${c.field}`,
    from: c.from as string | null,
    to: c.to as string | null,
  }));
}

/** "Xiaomi Mi 5 China": a variant's name is only clear with its model. */
function variantName(variant: DeviceVariant): string {
  return `${variant.model!.brand} ${variant.model!.name} ${variant.name}`;
}
