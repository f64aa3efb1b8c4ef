import type { EntityManager } from "typeorm";
import type { TicketNetworkDto, VariantChoiceDto } from "../../../../shared/contracts/http/catalog";
import { parseImei } from "../../../../shared/domain/imei";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { NotFoundError } from "../../errors/app-error";
import { ImportBatch } from "../batches/import-batch.entity";
import { deskVerdict } from "../carriers/verdicts";
import { resolveTac } from "../catalog/catalog.repository";
import { DeviceModel } from "../catalog/device-model.entity";
import { DeviceVariant } from "../catalog/device-variant.entity";
import { findHandset } from "../handsets/handsets.repository";
import { primaryImei } from "../handsets/handsets.presenter";
import { Ticket } from "./ticket.entity";

/**
 * A ticket's handset as the network sees it (`GET /api/tickets/:id/network`): the verdict on the
 * desk's carrier kept from the opening and the one today, the model and variant with the
 * variants it could be (each with how to tell it apart and its own verdict), what the IMEI's TAC
 * says, and the batch and distributor it came through. The verdict now is decided at every read
 * from the handset's variant, the carrier's dated bands and the certification as they are, so a
 * change to any of them shows at once (its writer announces `ticket.updated`).
 */
export class TicketNetworkService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async get(ticketId: string): Promise<TicketNetworkDto> {
    return this.db.read(async (em) => {
      const ticket = await em.getRepository(Ticket).findOne({
        where: { id: ticketId },
        select: { id: true, handsetId: true, verdictAtOpen: true },
      });
      if (ticket === null) {
        throw new NotFoundError("Ticket");
      }
      const today = this.clock.today();
      const handset = ticket.handsetId ? await findHandset(em, ticket.handsetId) : null;
      const atOpen = ticket.verdictAtOpen ?? null;
      const now = await deskVerdict(em, handset?.variantId ?? null, today);
      const changed =
        atOpen !== null &&
        now !== null &&
        (atOpen.level !== now.level ||
          atOpen.carrier.id !== now.carrier.id ||
          atOpen.variant.id !== now.variant.id);
      if (handset === null) {
        return { atOpen, now, changed, handset: null };
      }

      const imeiValue = primaryImei(handset);
      const imei = imeiValue === null ? null : parseImei(imeiValue);
      const resolved = imei?.valid ? await resolveTac(em, imei.tac) : null;
      const variant = handset.variantId
        ? await em.getRepository(DeviceVariant).findOneBy({ id: handset.variantId })
        : null;
      const modelId = variant?.modelId ?? resolved?.modelId ?? null;
      const model = modelId ? await em.getRepository(DeviceModel).findOneBy({ id: modelId }) : null;
      const siblings = modelId
        ? await em.getRepository(DeviceVariant).find({ where: { modelId }, order: { name: "ASC" } })
        : [];
      const candidates = await Promise.all(
        siblings.map((sibling) => this.choice(em, sibling, today)),
      );
      const batch = handset.batchId
        ? await em
            .getRepository(ImportBatch)
            .findOne({ where: { id: handset.batchId }, relations: { distributor: true } })
        : null;
      return {
        atOpen,
        now,
        changed,
        handset: {
          id: handset.id,
          tac: resolved
            ? {
                tac: resolved.tac,
                brand: resolved.brand,
                model: resolved.model,
                source: resolved.source,
                variantId: resolved.variant?.knownBy === "tac_entry" ? resolved.variant.id : null,
              }
            : null,
          model: model ? { id: model.id, brand: model.brand, name: model.name } : null,
          variant: variant
            ? (candidates.find((c) => c.id === variant.id) ??
              (await this.choice(em, variant, today)))
            : null,
          candidates,
          batch: batch
            ? {
                id: batch.id,
                reference: batch.reference,
                distributor: batch.distributor
                  ? {
                      id: batch.distributor.id,
                      name: batch.distributor.name,
                      country: batch.distributor.country,
                    }
                  : null,
                romRegion: batch.romRegion,
                orderedOn: batch.orderedOn,
                shippedOn: batch.shippedOn,
                receivedOn: batch.receivedOn,
                customsReference: batch.customsReference,
              }
            : null,
        },
      };
    });
  }

  private async choice(
    em: EntityManager,
    variant: DeviceVariant,
    today: string,
  ): Promise<VariantChoiceDto> {
    const verdict = await deskVerdict(em, variant.id, today);
    return {
      id: variant.id,
      name: variant.name,
      region: variant.region,
      operatorSku: variant.operatorSku,
      howToTell: variant.howToTell,
      notes: variant.notes,
      verdict: verdict ? { level: verdict.level, summary: verdict.summary } : null,
    };
  }
}
