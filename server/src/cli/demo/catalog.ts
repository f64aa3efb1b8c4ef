import type { HttpClient } from "./http-client";
import { MODELS } from "./devices";
import type { ModelKey } from "./devices";
import type { HandsetPlan } from "./plan";

/**
 * The variants the demo's import sold, so that its tickets carry a network verdict. The desk's
 * starting catalogue (a migration) knows the phones of docs/DOMAIN.md; the demo adds the other
 * models it sells, as an admin would from the distributor's sheet, and names the variant of each
 * TAC where the import had only one. Band lists are the China editions' as retail listings give
 * them: recorded with that source and a low confidence, as the catalogue asks of any list.
 */

interface DemoVariant {
  name: string;
  region: string;
  lteBands: number[];
  umtsBands: number[];
  gsmBands: number[];
  volteCapable: "yes" | "no" | "unknown";
}

const QUAD = [850, 900, 1800, 1900];
const LISTING = "retail listing of the China edition (demo catalogue)";

/** Models the starting catalogue lacks, with the one variant the demo's import carried. */
const ADDED: Partial<Record<ModelKey, DemoVariant>> = {
  mi_4i: {
    name: "China",
    region: "China",
    lteBands: [1, 3, 40],
    umtsBands: [1, 2, 5, 8],
    gsmBands: QUAD,
    volteCapable: "no",
  },
  redmi_3: {
    name: "China",
    region: "China",
    lteBands: [1, 3, 7, 38, 39, 40, 41],
    umtsBands: [1, 2, 5, 8],
    gsmBands: QUAD,
    volteCapable: "no",
  },
  redmi_3s: {
    name: "China",
    region: "China",
    lteBands: [1, 3, 5, 7, 8, 38, 39, 40, 41],
    umtsBands: [1, 2, 5, 8],
    gsmBands: QUAD,
    volteCapable: "unknown",
  },
  redmi_note_2: {
    name: "China",
    region: "China",
    lteBands: [1, 3, 7, 38, 39, 40, 41],
    umtsBands: [1, 2, 5, 8],
    gsmBands: QUAD,
    volteCapable: "no",
  },
  m2: {
    name: "China",
    region: "China",
    lteBands: [1, 3, 7, 38, 39, 40, 41],
    umtsBands: [1, 2, 5, 8],
    gsmBands: QUAD,
    volteCapable: "no",
  },
  m3_note: {
    name: "China",
    region: "China",
    lteBands: [1, 3, 38, 39, 40, 41],
    umtsBands: [1, 2, 5, 8],
    gsmBands: QUAD,
    volteCapable: "no",
  },
};

interface ModelSummary {
  id: string;
  brand: string;
  name: string;
}

interface ModelDetail extends ModelSummary {
  variants: { id: string; name: string; lteBands: number[] | null }[];
  tacs: { tac: string; variantId: string | null }[];
}

/** Which variant ids each demo model's handsets may be, in the catalogue of the running desk. */
export interface DemoCatalog {
  variantsOf: ReadonlyMap<ModelKey, readonly string[]>;
}

/**
 * Adds the demo's models and variants to the catalogue (as `lead`, an admin), and names the
 * variant of each TAC whose model the import carried in one variant only (the distributor's
 * sheet says which). A model of several variants (the Redmi Note 3) keeps TACs without one: the
 * agent tells them apart from the box label or Settings -> About.
 */
export async function seedDemoCatalog(lead: HttpClient): Promise<DemoCatalog> {
  const variantsOf = new Map<ModelKey, string[]>();
  for (const model of Object.values(MODELS)) {
    const { items } = await lead.get<{ items: ModelSummary[] }>(
      `/api/catalog/models?q=${encodeURIComponent(model.model)}`,
    );
    const same = (m: ModelSummary) =>
      m.brand.toLowerCase() === model.brand.toLowerCase() &&
      m.name.toLowerCase() === model.model.toLowerCase();
    let modelId = items.find(same)?.id;
    const added = ADDED[model.key];
    if (modelId === undefined) {
      if (added === undefined) {
        continue;
      }
      const created = await lead.post<{ model: ModelSummary }>("/api/catalog/models", {
        brand: model.brand,
        name: model.model,
      });
      modelId = created.model.id;
    }
    let detail = (await lead.get<{ model: ModelDetail }>(`/api/catalog/models/${modelId}`)).model;
    if (detail.variants.length === 0 && added !== undefined) {
      await lead.post("/api/catalog/variants", {
        modelId,
        ...added,
        bandSource: LISTING,
        bandConfidence: "low",
      });
      detail = (await lead.get<{ model: ModelDetail }>(`/api/catalog/models/${modelId}`)).model;
    }
    // Variants with known bands first: the edition most of the import's units were.
    const ids = [...detail.variants]
      .sort((a, b) => Number(a.lteBands === null) - Number(b.lteBands === null))
      .map((variant) => variant.id);
    variantsOf.set(model.key, ids);
    if (ids.length !== 1) {
      continue;
    }
    for (const tac of model.tacs) {
      const known = detail.tacs.find((entry) => entry.tac === tac);
      if (known === undefined) {
        await lead.post("/api/catalog/tacs", {
          tac,
          modelId,
          variantId: ids[0],
          source: "distributor_sheet",
        });
      } else if (known.variantId === null) {
        await lead.patch(`/api/catalog/tacs/${tac}`, {
          variantId: ids[0],
          source: "distributor_sheet",
        });
      }
    }
  }
  return { variantsOf };
}

/**
 * The variant an agent finds on the handset's box label, for models sold in several variants;
 * drawn from the handset's number, so the demo's random plan (and all it decides) is unchanged.
 */
export function variantOnTheBox(catalog: DemoCatalog, handset: HandsetPlan): string | null {
  const ids = catalog.variantsOf.get(handset.model.key);
  if (ids === undefined || ids.length === 0) {
    return null;
  }
  // Two in three Redmi Note 3 units of the import were the Snapdragon edition (the one with known bands).
  return ids[handset.index % 3 === 2 ? ids.length - 1 : 0];
}
