import { randomUUID } from "node:crypto";
import { IsNull } from "typeorm";
import type { EntityManager } from "typeorm";
import type {
  AffectedDto,
  AuditEntryDto,
  BulkMessageInput,
  BulkMessageResultDto,
  CreateModelInput,
  CreateTacInput,
  CreateVariantInput,
  ModelDetailDto,
  ModelDto,
  TacDto,
  UpdateModelInput,
  UpdateTacInput,
  UpdateVariantInput,
  VariantDetailDto,
  VariantDto,
} from "../../../../shared/contracts/http/catalog";
import { ticketNumberLabel } from "../../../../shared/contracts/http/common";
import type { NetworkVerdict } from "../../../../shared/domain/verdict";
import type { AuthUser } from "../../auth/principal";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { ConflictError, NotFoundError, ValidationError } from "../../errors/app-error";
import type { TacCatalog } from "../devices/tac-catalog";
import type { TicketNotifier } from "../../events/facts";
import type { CatalogVerdicts, TicketHistory } from "./ports";
import { VariantBulkMessage } from "./bulk-message.entity";
import { diff, listVariantAudit, recordAudit } from "./catalog-audit.repository";
import { presentAudit, presentModel, presentTac, presentVariant } from "./catalog.presenter";
import { DeviceModel } from "./device-model.entity";
import { DeviceVariant } from "./device-variant.entity";
import { lookupDevice } from "../devices/device-lookup";
import type { DeviceLookupResult, TacLookup } from "../devices/device-lookup";
import { findModelByName, findVariantWithModel, resolveTac } from "./catalog.repository";
import { TacEntry } from "./tac-entry.entity";

interface BulkOutcome {
  bulk: VariantBulkMessage;
  events: { ticketId: string; eventId: string }[];
  repeated: boolean;
}

const NO_TACS: TacLookup = { lookup: () => undefined };

const BAND_FIELDS = ["lteBands", "umtsBands", "gsmBands", "cdmaBands", "nrBands"] as const;

/**
 * The device catalogue: models, their variants (with bands and where the bands come from), TACs,
 * the verdicts of a variant, who a variant affects, and one public update to all of them. Every
 * change is audited.
 */
export class CatalogService {
  constructor(
    private readonly db: Database,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
    /** Verdicts and certifications, from carriers. */
    private readonly carriers: CatalogVerdicts,
    /** The tickets and owned handsets a variant affects, from tickets. */
    private readonly tickets: TicketHistory,
  ) {}

  /** The desk's today (YYYY-MM-DD): the default date of a verdict. */
  today(): string {
    return this.clock.today();
  }

  // -------------------------------------------------------------------------------------------
  // Models

  /** Models, optionally those whose brand, name or other names contain `q`. */
  async listModels(q?: string): Promise<ModelDto[]> {
    return this.db.read(async (em) => {
      const models = await em
        .getRepository(DeviceModel)
        .find({ order: { brand: "ASC", name: "ASC" } });
      const needle = q?.toLowerCase();
      const matching = needle
        ? models.filter((m) =>
            [m.brand, m.name, `${m.brand} ${m.name}`, ...m.aka].some((text) =>
              text.toLowerCase().includes(needle),
            ),
          )
        : models;
      const counts = await this.counts(em);
      return matching.map((model) =>
        presentModel(model, {
          variants: counts.variants.get(model.id) ?? 0,
          tacs: counts.tacs.get(model.id) ?? 0,
        }),
      );
    });
  }

  /** A model with its variants and TACs. */
  async getModel(id: string): Promise<ModelDetailDto> {
    return this.db.read(async (em) => {
      const model = await em.getRepository(DeviceModel).findOneBy({ id });
      if (model === null) {
        throw new NotFoundError("Model");
      }
      const variants = await em
        .getRepository(DeviceVariant)
        .find({ where: { modelId: id }, order: { name: "ASC" } });
      const tacs = await em.getRepository(TacEntry).find({
        where: { modelId: id },
        relations: { model: true, variant: true },
        order: { tac: "ASC" },
      });
      return {
        ...presentModel(model, { variants: variants.length, tacs: tacs.length }),
        variants: variants.map((variant) => presentVariant(variant, model)),
        tacs: tacs.map(presentTac),
      };
    });
  }

  async createModel(user: AuthUser, input: CreateModelInput): Promise<ModelDto> {
    const now = this.clock.now();
    const model = await this.db.transaction(async (em) => {
      await this.requireUniqueModel(em, input.brand, input.name, null);
      const row: DeviceModel = {
        id: randomUUID(),
        brand: input.brand,
        name: input.name,
        aka: uniqueNames(input.aka),
        createdAt: now,
        updatedAt: now,
      };
      await em.getRepository(DeviceModel).insert(row);
      await recordAudit(
        em,
        user,
        {
          subjectType: "model",
          subjectId: row.id,
          action: "created",
          changes: [
            { field: "brand", from: null, to: row.brand },
            { field: "name", from: null, to: row.name },
            { field: "aka", from: null, to: row.aka },
          ],
        },
        now,
      );
      return row;
    });
    return presentModel(model, { variants: 0, tacs: 0 });
  }

  async updateModel(user: AuthUser, id: string, input: UpdateModelInput): Promise<ModelDto> {
    const now = this.clock.now();
    const reflagged = await this.db.transaction(async (em) => {
      const repo = em.getRepository(DeviceModel);
      const current = await repo.findOne({ where: { id }, ...this.db.forUpdate });
      if (current === null) {
        throw new NotFoundError("Model");
      }
      const patch = {
        brand: input.brand,
        name: input.name,
        aka: input.aka === undefined ? undefined : uniqueNames(input.aka),
      };
      const changes = diff(current, patch);
      if (changes.length === 0) {
        return [];
      }
      await this.requireUniqueModel(
        em,
        patch.brand ?? current.brand,
        patch.name ?? current.name,
        id,
      );
      await repo.update(
        { id },
        { ...Object.fromEntries(changes.map((c) => [c.field, c.to])), updatedAt: now },
      );
      await recordAudit(
        em,
        user,
        { subjectType: "model", subjectId: id, action: "updated", changes },
        now,
      );
      if (!changes.some((c) => c.field === "brand")) {
        return [];
      }
      // The brand its TACs name changed: "brand mismatch" is decided again on their tickets.
      const tacs = await em
        .getRepository(TacEntry)
        .find({ where: { modelId: id }, select: { tac: true } });
      return this.tickets.recheckFlags(em, { tacs: tacs.map((t) => t.tac) }, now);
    });
    this.announce(reflagged);
    return (await this.listModels()).find((model) => model.id === id)!;
  }

  // -------------------------------------------------------------------------------------------
  // Variants

  /**
   * Every variant with its model, by brand, model and name; with `q`, those whose brand, model,
   * other names, variant name, region or operator SKU contain it (the certification table).
   */
  async listVariants(q?: string): Promise<VariantDto[]> {
    return this.db.read(async (em) => {
      const variants = await em.getRepository(DeviceVariant).find({ relations: { model: true } });
      const needle = q?.toLowerCase();
      return variants
        .filter(
          (v) =>
            needle === undefined ||
            [
              v.model!.brand,
              v.model!.name,
              `${v.model!.brand} ${v.model!.name}`,
              ...v.model!.aka,
              v.name,
              v.region ?? "",
              v.operatorSku ?? "",
            ].some((text) => text.toLowerCase().includes(needle)),
        )
        .sort(
          (a, b) =>
            a.model!.brand.localeCompare(b.model!.brand) ||
            a.model!.name.localeCompare(b.model!.name) ||
            a.name.localeCompare(b.name),
        )
        .map((variant) => presentVariant(variant));
    });
  }

  /** A variant with its TACs, certifications and its verdict on every carrier on `date`. */
  async getVariant(id: string, date = this.clock.today()): Promise<VariantDetailDto> {
    return this.db.read(async (em) => {
      const variant = await findVariantWithModel(em, id);
      if (variant === null) {
        throw new NotFoundError("Variant");
      }
      const tacs = await em.getRepository(TacEntry).find({
        where: [{ variantId: id }, { modelId: variant.modelId, variantId: IsNull() }],
        relations: { model: true, variant: true },
        order: { tac: "ASC" },
      });
      const certifications = await this.carriers.certificationsOf(em, id);
      return {
        ...presentVariant(variant),
        tacs: tacs.map(presentTac),
        certifications,
        verdicts: (await this.carriers.verdictsFor(em, id, date)) ?? [],
      };
    });
  }

  /** The verdicts of a variant on `date` (every carrier, or one). */
  async verdicts(id: string, date: string, carrierId?: string): Promise<NetworkVerdict[]> {
    return this.db.read(async (em) => {
      const verdicts = await this.carriers.verdictsFor(
        em,
        id,
        date,
        carrierId ? [carrierId] : undefined,
      );
      if (verdicts === null) {
        throw new NotFoundError("Variant");
      }
      if (carrierId !== undefined && verdicts.length === 0) {
        throw new ValidationError("The query is not valid", [
          { path: "query.carrierId", message: "is not a carrier" },
        ]);
      }
      return verdicts;
    });
  }

  async createVariant(user: AuthUser, input: CreateVariantInput): Promise<VariantDto> {
    const now = this.clock.now();
    const id = await this.db.transaction(async (em) => {
      const model = await em.getRepository(DeviceModel).findOneBy({ id: input.modelId });
      if (model === null) {
        throw new ValidationError("The request is not valid", [
          { path: "modelId", message: "is not a model" },
        ]);
      }
      await this.requireUniqueVariant(em, input.modelId, input.name, null);
      const row: DeviceVariant = {
        id: randomUUID(),
        modelId: input.modelId,
        name: input.name,
        region: input.region ?? null,
        operatorSku: input.operatorSku ?? null,
        lteBands: input.lteBands ?? null,
        umtsBands: input.umtsBands ?? null,
        gsmBands: input.gsmBands ?? null,
        cdmaBands: input.cdmaBands ?? null,
        nrBands: input.nrBands ?? null,
        volteCapable: input.volteCapable ?? "unknown",
        bandSource: input.bandSource ?? null,
        bandConfidence: input.bandConfidence ?? null,
        notes: input.notes ?? null,
        howToTell: input.howToTell ?? null,
        createdAt: now,
        updatedAt: now,
      };
      checkBandProvenance(row);
      await em.getRepository(DeviceVariant).insert(row);
      const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = row;
      await recordAudit(
        em,
        user,
        {
          subjectType: "variant",
          subjectId: row.id,
          variantId: row.id,
          action: "created",
          changes: diff({}, fields),
        },
        now,
      );
      return row.id;
    });
    return this.db.read(async (em) => presentVariant((await findVariantWithModel(em, id))!));
  }

  /**
   * Changes a variant. Band lists keep their provenance: a variant with any band list must name
   * the source and confidence of its band data.
   */
  async updateVariant(user: AuthUser, id: string, input: UpdateVariantInput): Promise<VariantDto> {
    const now = this.clock.now();
    const followers = await this.db.transaction(async (em) => {
      const repo = em.getRepository(DeviceVariant);
      const current = await repo.findOne({ where: { id }, ...this.db.forUpdate });
      if (current === null) {
        throw new NotFoundError("Variant");
      }
      const changes = diff(current, input as Partial<DeviceVariant>);
      if (changes.length === 0) {
        return [];
      }
      const next = { ...current, ...Object.fromEntries(changes.map((c) => [c.field, c.to])) };
      checkBandProvenance(next);
      if (input.name !== undefined && input.name !== current.name) {
        await this.requireUniqueVariant(em, current.modelId, input.name, id);
      }
      await repo.update(
        { id },
        { ...Object.fromEntries(changes.map((c) => [c.field, c.to])), updatedAt: now },
      );
      await recordAudit(
        em,
        user,
        { subjectType: "variant", subjectId: id, variantId: id, action: "updated", changes },
        now,
      );
      // Its bands or VoLTE decide the verdict now of every open ticket on it.
      return (await this.tickets.openTicketsOfVariant(em, id, false)).map((t) => t.id);
    });
    this.announce(followers);
    return this.db.read(async (em) => presentVariant((await findVariantWithModel(em, id))!));
  }

  /** The audit trail of a variant: its edits, its TACs and its certifications. */
  async history(id: string): Promise<AuditEntryDto[]> {
    return this.db.read(async (em) => {
      if (!(await em.getRepository(DeviceVariant).existsBy({ id }))) {
        throw new NotFoundError("Variant");
      }
      return (await listVariantAudit(em, id)).map(presentAudit);
    });
  }

  // -------------------------------------------------------------------------------------------
  // TACs

  async getTac(tac: string): Promise<TacDto> {
    return this.db.read(async (em) => {
      const entry = await findTac(em, tac);
      if (entry === null) {
        throw new NotFoundError("TAC");
      }
      return presentTac(entry);
    });
  }

  /** Records a TAC (seen on a box, a distributor's sheet...) with where the fact comes from. */
  async createTac(user: AuthUser, input: CreateTacInput): Promise<TacDto> {
    const now = this.clock.now();
    const reflagged = await this.db.transaction(async (em) => {
      if (await em.getRepository(TacEntry).existsBy({ tac: input.tac })) {
        throw new ConflictError(`TAC ${input.tac} is already in the catalogue; correct it instead`);
      }
      const variantId = input.variantId ?? null;
      await this.requireModelAndVariant(em, input.modelId, variantId);
      await em.getRepository(TacEntry).insert({
        tac: input.tac,
        modelId: input.modelId,
        variantId,
        source: input.source,
        createdAt: now,
        updatedAt: now,
      });
      await recordAudit(
        em,
        user,
        {
          subjectType: "tac",
          subjectId: input.tac,
          variantId,
          action: "created",
          changes: [
            { field: "modelId", from: null, to: input.modelId },
            { field: "variantId", from: null, to: variantId },
            { field: "source", from: null, to: input.source },
          ],
        },
        now,
      );
      // Tickets on a phone with this TAC no longer say "TAC unknown" (or now mismatch its brand).
      return this.tickets.recheckFlags(em, { tacs: [input.tac] }, now);
    });
    this.announce(reflagged);
    return this.getTac(input.tac);
  }

  /** Corrects the model or variant a TAC names (with the source of the correction). */
  async updateTac(user: AuthUser, tac: string, input: UpdateTacInput): Promise<TacDto> {
    const now = this.clock.now();
    const reflagged = await this.db.transaction(async (em) => {
      const repo = em.getRepository(TacEntry);
      const current = await repo.findOne({ where: { tac }, ...this.db.forUpdate });
      if (current === null) {
        throw new NotFoundError("TAC");
      }
      const modelId = input.modelId ?? current.modelId;
      // A new model drops a variant of the old one unless a new variant is named too.
      const variantId =
        input.variantId !== undefined
          ? input.variantId
          : modelId !== current.modelId
            ? null
            : current.variantId;
      await this.requireModelAndVariant(em, modelId, variantId);
      const changes = diff(current, { modelId, variantId, source: input.source });
      if (changes.length === 0) {
        return [];
      }
      await repo.update(
        { tac },
        { ...Object.fromEntries(changes.map((c) => [c.field, c.to])), updatedAt: now },
      );
      await recordAudit(
        em,
        user,
        {
          subjectType: "tac",
          subjectId: tac,
          variantId: variantId ?? current.variantId,
          action: "updated",
          changes,
        },
        now,
      );
      return this.tickets.recheckFlags(em, { tacs: [tac] }, now);
    });
    this.announce(reflagged);
    return this.getTac(tac);
  }

  /**
   * Brings the bundled Osmocom TACs into the catalogue: a TAC not yet there is added (with its
   * model, created when missing) as source `osmocom`. Existing entries are never touched, so an
   * agent's correction stands. Safe to run at every start, also by several servers at once.
   */
  async syncOsmocomTacs(catalog: TacCatalog): Promise<{ added: number }> {
    const now = this.clock.now();
    return this.db.transaction(async (em) => {
      const known = new Set(
        (await em.getRepository(TacEntry).find({ select: { tac: true } })).map((e) => e.tac),
      );
      let added = 0;
      for (const entry of catalog.all()) {
        if (known.has(entry.tac)) {
          continue;
        }
        let model = await findModelByName(em, entry.brand, entry.model);
        if (model === null) {
          await em
            .createQueryBuilder()
            .insert()
            .into(DeviceModel)
            .values({
              id: randomUUID(),
              brand: entry.brand,
              name: entry.model,
              aka: [...entry.aka],
              createdAt: now,
              updatedAt: now,
            })
            .orIgnore()
            .execute();
          model = await findModelByName(em, entry.brand, entry.model);
        }
        const result = await em
          .createQueryBuilder()
          .insert()
          .into(TacEntry)
          .values({
            tac: entry.tac,
            modelId: model!.id,
            variantId: null,
            source: "osmocom",
            createdAt: now,
            updatedAt: now,
          })
          .orIgnore()
          .execute();
        added += result.identifiers.length > 0 ? 1 : 0;
      }
      return { added };
    });
  }

  /**
   * `GET /api/devices/lookup`: the IMEI's checks and the model its TAC names, from the
   * catalogue (bundled, agent-observed and distributor TACs alike); and when the variant can be
   * known from the TAC alone, the variant and its verdict on the desk's carrier today.
   */
  async lookupDevice(raw: string): Promise<DeviceLookupResult> {
    const first = lookupDevice(raw, NO_TACS);
    const tac = first.tac;
    if (tac === null) {
      return first;
    }
    return this.db.read(async (em) => {
      const resolved = await resolveTac(em, tac);
      if (resolved === null) {
        return first;
      }
      const result = lookupDevice(raw, { lookup: (t) => (t === tac ? resolved : undefined) });
      result.tacSource = resolved.source;
      if (resolved.variant !== null) {
        result.variant = resolved.variant;
        const verdict = await this.carriers.deskVerdict(
          em,
          resolved.variant.id,
          this.clock.today(),
        );
        if (verdict !== null) {
          result.verdict = verdict;
        }
      }
      return result;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Who a variant affects, and one update to all of them

  /** The open tickets and the owned handsets of a variant. */
  async affected(id: string, limit: number): Promise<AffectedDto> {
    return this.db.read(async (em) => {
      const variant = await findVariantWithModel(em, id);
      if (variant === null) {
        throw new NotFoundError("Variant");
      }
      const tickets = await this.tickets.openTicketsOfVariant(em, id, true);
      const owned = await this.tickets.ownedHandsetsOfVariant(em, id, limit);
      return {
        variant: {
          id: variant.id,
          modelId: variant.modelId,
          name: variant.name,
          region: variant.region,
          operatorSku: variant.operatorSku,
          brand: variant.model!.brand,
          model: variant.model!.name,
        },
        totals: {
          openTickets: tickets.length,
          handsets: owned.handsetCount,
          customers: owned.customerCount,
        },
        openTickets: tickets.map((ticket) => ({
          id: ticket.id,
          number: ticketNumberLabel(ticket.number),
          subject: ticket.subject,
          status: ticket.status,
          customer: { id: ticket.customer!.id, name: ticket.customer!.name },
          handsetId: ticket.handsetId!,
        })),
        handsets: owned.handsets,
      };
    });
  }

  /**
   * Posts one public message to every open ticket on a handset of the variant, each on its own
   * ticket (so each customer sees it), through the tickets' own event path, in one transaction:
   * all tickets get it or none. A retry with the same `requestKey` posts nothing again.
   */
  async bulkMessage(
    user: AuthUser,
    id: string,
    input: BulkMessageInput,
  ): Promise<BulkMessageResultDto> {
    const now = this.clock.now();
    const result = await this.db.transaction(async (em): Promise<BulkOutcome> => {
      if (!(await em.getRepository(DeviceVariant).existsBy({ id }))) {
        throw new NotFoundError("Variant");
      }
      const requestKey = input.requestKey ?? null;
      if (requestKey !== null) {
        const earlier = await em.getRepository(VariantBulkMessage).findOneBy({ requestKey });
        if (earlier !== null) {
          if (earlier.variantId !== id || earlier.actorId !== user.id) {
            throw new ConflictError("This requestKey was used for another update");
          }
          return { bulk: earlier, events: [], repeated: true };
        }
      }
      const tickets = await this.tickets.openTicketsOfVariant(em, id, false);
      const events: { ticketId: string; eventId: string }[] = [];
      for (const ticket of tickets) {
        const eventId = await this.tickets.append(
          em,
          ticket.id,
          {
            type: "message",
            public: true,
            actorType: "agent",
            actorId: user.id,
            actorName: user.name,
            body: input.body,
          },
          now,
        );
        // A public reply counts as the first response: the SLA clock moves at once.
        await this.tickets.changed(em, ticket.id, now);
        events.push({ ticketId: ticket.id, eventId });
      }
      const bulk: VariantBulkMessage = {
        id: randomUUID(),
        variantId: id,
        requestKey,
        body: input.body,
        ticketIds: tickets.map((t) => t.id),
        actorId: user.id,
        actorName: user.name,
        createdAt: now,
      };
      await em.getRepository(VariantBulkMessage).insert(bulk);
      return { bulk, events, repeated: false };
    });
    for (const { ticketId, eventId } of result.events) {
      this.notifier.emit("ticket.event", ticketId, eventId);
      this.notifier.emit("ticket.updated", ticketId);
    }
    return {
      id: result.bulk.id,
      posted: result.bulk.ticketIds.length,
      ticketIds: result.bulk.ticketIds,
      repeated: result.repeated,
    };
  }

  // -------------------------------------------------------------------------------------------

  /** Tells every console showing these tickets that they changed (after the commit). */
  private announce(ticketIds: readonly string[]): void {
    for (const ticketId of ticketIds) {
      this.notifier.emit("ticket.updated", ticketId);
    }
  }

  private async counts(em: EntityManager) {
    const rows = async (entity: typeof DeviceVariant | typeof TacEntry) => {
      const raw = await em
        .getRepository(entity)
        .createQueryBuilder("x")
        .select('x."modelId"', "modelId")
        .addSelect("COUNT(*)", "n")
        .groupBy('x."modelId"')
        .getRawMany<{ modelId: string; n: string | number }>();
      return new Map(raw.map((row) => [row.modelId, Number(row.n)]));
    };
    return { variants: await rows(DeviceVariant), tacs: await rows(TacEntry) };
  }

  private async requireUniqueModel(
    em: EntityManager,
    brand: string,
    name: string,
    except: string | null,
  ): Promise<void> {
    const clash = await findModelByName(em, brand, name);
    if (clash !== null && clash.id !== except) {
      throw new ConflictError(`${clash.brand} ${clash.name} is already in the catalogue`);
    }
  }

  private async requireUniqueVariant(
    em: EntityManager,
    modelId: string,
    name: string,
    except: string | null,
  ): Promise<void> {
    const siblings = await em.getRepository(DeviceVariant).findBy({ modelId });
    const clash = siblings.find(
      (v) => v.name.toLowerCase() === name.toLowerCase() && v.id !== except,
    );
    if (clash !== undefined) {
      throw new ConflictError(`This model already has a variant named "${clash.name}"`);
    }
  }

  private async requireModelAndVariant(
    em: EntityManager,
    modelId: string,
    variantId: string | null,
  ): Promise<void> {
    if (!(await em.getRepository(DeviceModel).existsBy({ id: modelId }))) {
      throw new ValidationError("The request is not valid", [
        { path: "modelId", message: "is not a model" },
      ]);
    }
    if (variantId !== null) {
      const variant = await em.getRepository(DeviceVariant).findOneBy({ id: variantId });
      if (variant === null || variant.modelId !== modelId) {
        throw new ValidationError("The request is not valid", [
          { path: "variantId", message: "is not a variant of this model" },
        ]);
      }
    }
  }
}

/** A TAC entry with its model and variant, or null. */
export function findTac(em: EntityManager, tac: string): Promise<TacEntry | null> {
  return em
    .getRepository(TacEntry)
    .findOne({ where: { tac }, relations: { model: true, variant: true } });
}

/** A variant with band lists must say where they come from and how far to trust them. */
function checkBandProvenance(
  variant: Pick<DeviceVariant, (typeof BAND_FIELDS)[number] | "bandSource" | "bandConfidence">,
): void {
  const hasBands = BAND_FIELDS.some((field) => variant[field] !== null);
  const problems: { path: string; message: string }[] = [];
  if (hasBands && variant.bandSource === null) {
    problems.push({ path: "bandSource", message: "is required when band lists are given" });
  }
  if (hasBands && variant.bandConfidence === null) {
    problems.push({ path: "bandConfidence", message: "is required when band lists are given" });
  }
  if (problems.length > 0) {
    throw new ValidationError("The request is not valid", problems);
  }
}

function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
