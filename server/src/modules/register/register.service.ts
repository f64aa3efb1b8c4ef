import { randomUUID } from "node:crypto";
import { In } from "typeorm";
import type { EntityManager } from "typeorm";
import type {
  HandsetChangeDto,
  HandsetHistoryResponse,
  HandsetRegisterResponse,
  RegisterCheckInput,
  RegisterEntryInput,
  RegisterImeiDto,
} from "../../../../shared/contracts/http/register";
import type { RegisterEntryDto } from "../../../../shared/contracts/http/register";
import type { AuthUser } from "../../auth/principal";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { NotFoundError } from "../../errors/app-error";
import { DeviceVariant } from "../catalog/device-variant.entity";
import { Customer } from "../customers/customer.entity";
import { Handset } from "../handsets/handset.entity";
import { HandsetIdentifier } from "../handsets/handset-identifier.entity";
import { listHandsetChanges, recordHandsetChanges } from "../handsets/handset-history.repository";
import type { HandsetChange } from "../handsets/handset-change.entity";
import { RegisterEntry } from "./register-entry.entity";
import { describeEntry, presentEntry, presentImei } from "./register.presenter";
import { entriesOfImeis, statusOf } from "./register.repository";

function presentChange(change: HandsetChange, labels: Map<string, string>): HandsetChangeDto {
  const label = (value: string | null) => (value === null ? null : (labels.get(value) ?? null));
  return {
    id: change.id,
    field: change.field,
    from: change.fromValue,
    to: change.toValue,
    fromLabel: label(change.fromValue),
    toLabel: label(change.toValue),
    source: change.source,
    actor: { id: change.actorId, name: change.actorName },
    context: change.context,
    createdAt: change.createdAt.toISOString(),
  };
}

/**
 * The lost/stolen register (docs/DOMAIN.md, "Lost and stolen") and the handset history, for
 * agents: an IMEI's entries and status, a handset's IMEIs on the register, agents' reports and
 * logged external checks (each also a change in the history of every handset carrying the IMEI),
 * and a handset's history page by page.
 */
export class RegisterService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** An IMEI's register record (an IMEI nobody reported is status `none`, with no entries). */
  async lookup(imei: string): Promise<RegisterImeiDto> {
    return this.db.read(async (em) => {
      const [entries, handsetIds] = await Promise.all([
        entriesOfImeis(em, [imei]),
        this.handsetsCarrying(em, imei),
      ]);
      return presentImei(imei, entries, handsetIds);
    });
  }

  /** Each IMEI of a handset on the register; `flagged` overall when any of them is. */
  async ofHandset(handsetId: string): Promise<HandsetRegisterResponse> {
    return this.db.read(async (em) => {
      if (!(await em.getRepository(Handset).existsBy({ id: handsetId }))) {
        throw new NotFoundError("Handset");
      }
      const imeis = (
        await em.getRepository(HandsetIdentifier).find({
          where: { handsetId, kind: "imei" },
          order: { slot: "ASC", createdAt: "ASC" },
        })
      ).map((identifier) => identifier.value);
      const entries = await entriesOfImeis(em, imeis);
      const carriers = await this.handsetsCarryingAny(em, imeis);
      const records = imeis.map((imei) =>
        presentImei(
          imei,
          entries.filter((entry) => entry.imei === imei),
          carriers.get(imei) ?? [],
        ),
      );
      const status = records.some((r) => r.status === "flagged")
        ? "flagged"
        : records.some((r) => r.status === "clear")
          ? "clear"
          : "none";
      return { handsetId, status, imeis: records };
    });
  }

  /** An agent reports an IMEI lost or stolen, or clears it (recovered, or reported in error). */
  async addEntry(
    user: AuthUser,
    input: RegisterEntryInput,
  ): Promise<{ entry: RegisterEntryDto; register: RegisterImeiDto }> {
    return this.write(user, input.imei.imei, {
      kind: "report",
      reportStatus: input.status,
      checkService: null,
      checkResult: null,
      reference: null,
      note: input.note,
    });
  }

  /** An agent logs an external check they made (which service, what it answered). */
  async logCheck(
    user: AuthUser,
    input: RegisterCheckInput,
  ): Promise<{ entry: RegisterEntryDto; register: RegisterImeiDto }> {
    return this.write(user, input.imei.imei, {
      kind: "check",
      reportStatus: null,
      checkService: input.service,
      checkResult: input.result,
      reference: input.reference ?? null,
      note: input.note ?? null,
    });
  }

  /** A handset's history, newest first. */
  async history(
    handsetId: string,
    page: { limit: number; cursor?: string },
  ): Promise<HandsetHistoryResponse> {
    return this.db.read(async (em) => {
      if (!(await em.getRepository(Handset).existsBy({ id: handsetId }))) {
        throw new NotFoundError("Handset");
      }
      const { items, nextCursor } = await listHandsetChanges(
        em,
        handsetId,
        page.limit,
        page.cursor,
        (date) => this.db.dateParam(date),
      );
      const labels = await this.labelsOf(em, items);
      return { items: items.map((item) => presentChange(item, labels)), nextCursor };
    });
  }

  private async write(
    user: AuthUser,
    imei: string,
    what: Pick<
      RegisterEntry,
      "kind" | "reportStatus" | "checkService" | "checkResult" | "reference" | "note"
    >,
  ): Promise<{ entry: RegisterEntryDto; register: RegisterImeiDto }> {
    const now = this.clock.now();
    return this.db.transaction(async (em) => {
      const handsetIds = await this.handsetsCarrying(em, imei);
      const before = statusOf(await entriesOfImeis(em, [imei])).status;
      const entry = Object.assign(new RegisterEntry(), {
        id: randomUUID(),
        imei,
        handsetId: handsetIds[0] ?? null,
        ...what,
        ticketId: null,
        ticketNumber: null,
        source: "agent",
        actorId: user.id,
        actorName: user.name,
        createdAt: now,
      } satisfies RegisterEntry);
      await em.getRepository(RegisterEntry).insert(entry);
      const entries = await entriesOfImeis(em, [imei]);
      const after = statusOf(entries).status;
      await recordHandsetChanges(
        em,
        handsetIds.map((handsetId) => ({
          handsetId,
          field: "register",
          from: before,
          to: after,
          context: describeEntry(entry),
        })),
        { source: "agent", actorId: user.id, actorName: user.name },
        now,
      );
      return { entry: presentEntry(entry), register: presentImei(imei, entries, handsetIds) };
    });
  }

  /** Names for the ids a history page holds: variants ("Xiaomi Redmi Note 3, kenzo"), customers. */
  private async labelsOf(
    em: EntityManager,
    items: readonly HandsetChange[],
  ): Promise<Map<string, string>> {
    const ids = (field: string) => [
      ...new Set(
        items
          .filter((item) => item.field === field)
          .flatMap((item) => [item.fromValue, item.toValue])
          .filter((value): value is string => value !== null),
      ),
    ];
    const labels = new Map<string, string>();
    const variantIds = ids("variantId");
    if (variantIds.length > 0) {
      const variants = await em
        .getRepository(DeviceVariant)
        .find({ where: { id: In(variantIds) }, relations: { model: true } });
      for (const variant of variants) {
        const model = variant.model ? `${variant.model.brand} ${variant.model.name}, ` : "";
        labels.set(variant.id, `${model}${variant.name}`);
      }
    }
    const customerIds = ids("customerId");
    if (customerIds.length > 0) {
      const customers = await em
        .getRepository(Customer)
        .find({ where: { id: In(customerIds) }, select: { id: true, name: true } });
      for (const customer of customers) {
        labels.set(customer.id, customer.name);
      }
    }
    return labels;
  }

  private async handsetsCarrying(em: EntityManager, imei: string): Promise<string[]> {
    return (await this.handsetsCarryingAny(em, [imei])).get(imei) ?? [];
  }

  private async handsetsCarryingAny(
    em: EntityManager,
    imeis: readonly string[],
  ): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (imeis.length === 0) {
      return map;
    }
    const rows = await em.getRepository(HandsetIdentifier).find({
      where: { kind: "imei", value: In([...imeis]) },
      select: { value: true, handsetId: true },
      order: { createdAt: "ASC" },
    });
    for (const row of rows) {
      map.set(row.value, [...(map.get(row.value) ?? []), row.handsetId]);
    }
    return map;
  }
}
