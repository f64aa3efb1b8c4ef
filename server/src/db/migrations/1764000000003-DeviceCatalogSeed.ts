import type { MigrationInterface, QueryRunner } from "typeorm";
import { DateUtils } from "typeorm/util/DateUtils";

/**
 * The facts of docs/DOMAIN.md as the catalogue's starting data: the carriers with their dated band
 * profiles (T-Mobile US, AT&T, Verizon), the desk's carrier setting (T-Mobile US), and the models
 * and variants of the 2015-2016 phones with their band lists, sources and confidence. Data, not
 * logic: admins change all of it through the API afterwards. The bundled Osmocom TACs are
 * imported at start from server/data/tac-osmocom.csv (the file keeps its attribution).
 *
 * Dates the sources give only as "later" are approximate and say so in the row's note.
 */

type Row = Record<string, string | number | boolean | null | Date | number[] | string[]>;

const CARRIERS = {
  tmobile: "5e1a0000-0000-4000-8000-000000000001",
  att: "5e1a0000-0000-4000-8000-000000000002",
  verizon: "5e1a0000-0000-4000-8000-000000000003",
} as const;

const GSM_QUAD = [850, 900, 1800, 1900];
const SOURCE = "docs/DOMAIN.md carrier profiles";
const APPROXIMATE = "added later; date approximate";

interface BandSeed {
  technology: "lte" | "umts" | "gsm" | "cdma";
  band: number;
  role?: "primary" | "coverage";
  from?: string;
  until?: string;
  requiresVolte?: boolean;
  note?: string;
}

const BANDS: Record<keyof typeof CARRIERS, BandSeed[]> = {
  tmobile: [
    { technology: "lte", band: 4, role: "primary" },
    { technology: "lte", band: 2 },
    { technology: "lte", band: 12, from: "2013-11-01", until: "2015-01-01", note: "700 MHz" },
    {
      technology: "lte",
      band: 12,
      from: "2015-01-01",
      requiresVolte: true,
      note: "700 MHz: only for phones with VoLTE and E911 since 2015",
    },
    { technology: "lte", band: 66, from: "2017-01-01", note: APPROXIMATE },
    { technology: "lte", band: 71, from: "2017-08-01", note: `600 MHz, ${APPROXIMATE}` },
    { technology: "umts", band: 4, role: "primary", until: "2022-07-01", note: "UMTS retired" },
    { technology: "umts", band: 2, role: "primary", until: "2022-07-01", note: "UMTS retired" },
    { technology: "gsm", band: 1900, role: "primary" },
  ],
  att: [
    { technology: "lte", band: 17, role: "primary" },
    { technology: "lte", band: 12, role: "primary" },
    { technology: "lte", band: 2 },
    { technology: "lte", band: 4 },
    { technology: "lte", band: 5 },
    { technology: "lte", band: 29 },
    { technology: "lte", band: 30 },
    { technology: "lte", band: 14, from: "2018-03-01", note: `FirstNet, ${APPROXIMATE}` },
    { technology: "lte", band: 66, from: "2017-06-01", note: APPROXIMATE },
    { technology: "umts", band: 5, role: "primary", until: "2022-02-22", note: "UMTS retired" },
    { technology: "umts", band: 2, role: "primary", until: "2022-02-22", note: "UMTS retired" },
    { technology: "gsm", band: 850, role: "primary", until: "2017-01-01", note: "GSM off" },
    { technology: "gsm", band: 1900, role: "primary", until: "2017-01-01", note: "GSM off" },
  ],
  verizon: [
    { technology: "lte", band: 13, role: "primary", note: "no B13 means effectively no service" },
    { technology: "lte", band: 4 },
    { technology: "lte", band: 2 },
    { technology: "lte", band: 5, from: "2017-01-01", note: APPROXIMATE },
    { technology: "lte", band: 66, from: "2017-06-01", note: APPROXIMATE },
    { technology: "cdma", band: 0, role: "primary", until: "2022-12-31", note: "CDMA retired" },
    { technology: "cdma", band: 1, role: "primary", until: "2022-12-31", note: "CDMA retired" },
  ],
};

interface VariantSeed {
  name: string;
  region: string | null;
  lte: number[] | null;
  umts: number[] | null;
  gsm: number[] | null;
  volte: "yes" | "no" | "unknown";
  source: string | null;
  confidence: "high" | "medium" | "low" | null;
  notes: string | null;
}

interface ModelSeed {
  id: string;
  brand: string;
  name: string;
  aka: string[];
  variants: (VariantSeed & { id: string })[];
}

const UNKNOWN_BANDS = {
  lte: null,
  umts: null,
  gsm: null,
  volte: "unknown",
  source: null,
  confidence: null,
} as const;

const MODELS: ModelSeed[] = [
  {
    id: "de51ce00-0000-4000-8000-000000000001",
    brand: "Xiaomi",
    name: "Mi 5",
    aka: ["MI 5"],
    variants: [
      {
        id: "de51ce00-0000-4000-8000-000000000101",
        name: "China",
        region: "China",
        lte: [1, 3, 7, 38, 39, 40, 41],
        umts: [1, 2, 5, 8],
        gsm: GSM_QUAD,
        volte: "unknown",
        source: "spec sheet (docs/DOMAIN.md variants)",
        confidence: "medium",
        notes: null,
      },
    ],
  },
  {
    id: "de51ce00-0000-4000-8000-000000000002",
    brand: "Xiaomi",
    name: "Redmi Note 3",
    aka: ["Redmi Note 3 Pro", "Redmi Note 3 Standard Edition", "Redmi Note 3 Premium Edition"],
    variants: [
      {
        id: "de51ce00-0000-4000-8000-000000000201",
        name: "Snapdragon (kenzo)",
        region: "China",
        lte: [1, 2, 3, 4, 5, 7, 8, 38, 39, 40, 41],
        umts: [1, 2, 4, 5, 8],
        gsm: null,
        volte: "unknown",
        source: "one spec sheet (docs/DOMAIN.md variants); another listing conflicts",
        confidence: "low",
        notes:
          "Sources conflict: another listing gives LTE 1, 3, 5, 7, 8, 38-41 and HSDPA " +
          "850/900/1900/2100 (no B2 or B4: 3G/2G only on T-Mobile). Check the box label or " +
          "Settings > About.",
      },
      {
        id: "de51ce00-0000-4000-8000-000000000202",
        name: "MediaTek (hennessy)",
        region: "China",
        ...UNKNOWN_BANDS,
        notes: "Bands not recorded yet.",
      },
    ],
  },
  {
    id: "de51ce00-0000-4000-8000-000000000003",
    brand: "Xiaomi",
    name: "MI 4W",
    aka: ["Mi 4 3G"],
    variants: [
      {
        id: "de51ce00-0000-4000-8000-000000000301",
        name: "3G (MI 4W)",
        region: null,
        lte: [],
        umts: [1, 2, 5, 8],
        gsm: GSM_QUAD,
        volte: "no",
        source: "spec sheet (docs/DOMAIN.md variants)",
        confidence: "medium",
        notes: null,
      },
    ],
  },
  {
    id: "de51ce00-0000-4000-8000-000000000004",
    brand: "Meizu",
    name: "MX5",
    aka: [],
    variants: [
      {
        id: "de51ce00-0000-4000-8000-000000000401",
        name: "MX5",
        region: null,
        ...UNKNOWN_BANDS,
        notes: "Unknown: fill from the distributor's sheet.",
      },
    ],
  },
  {
    id: "de51ce00-0000-4000-8000-000000000005",
    brand: "Meizu",
    name: "m2 note",
    aka: ["Blue Charm Note2"],
    variants: [
      {
        id: "de51ce00-0000-4000-8000-000000000501",
        name: "m2 note",
        region: null,
        ...UNKNOWN_BANDS,
        notes: "Unknown: fill from the distributor's sheet.",
      },
    ],
  },
];

export class DeviceCatalogSeed1764000000003 implements MigrationInterface {
  name = "DeviceCatalogSeed1764000000003";

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === "postgres";
    const now = new Date();
    const insert = async (table: string, row: Row) => {
      const columns = Object.keys(row);
      const values = Object.values(row).map((value): string | number | boolean | Date | null => {
        if (value instanceof Date) {
          return postgres ? value : (DateUtils.mixedDateToUtcDatetimeString(value) as string);
        }
        if (typeof value === "boolean") {
          return postgres ? value : value ? 1 : 0;
        }
        if (Array.isArray(value)) {
          return JSON.stringify(value);
        }
        return value;
      });
      const placeholders = columns.map((_, i) => (postgres ? `$${i + 1}` : "?"));
      await queryRunner.query(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) ` +
          `VALUES (${placeholders.join(", ")})`,
        values,
      );
    };

    const carriers: { key: keyof typeof CARRIERS; code: string; name: string; notes: string }[] = [
      {
        key: "tmobile",
        code: "tmobile_us",
        name: "T-Mobile US",
        notes: "Since 2015 a phone may use B12 only if it supports VoLTE and E911.",
      },
      { key: "att", code: "att_us", name: "AT&T", notes: "" },
      {
        key: "verizon",
        code: "verizon_us",
        name: "Verizon",
        notes: "No B13 means effectively no service.",
      },
    ];
    let bandNumber = 0;
    for (const carrier of carriers) {
      const carrierId = CARRIERS[carrier.key];
      await insert("carriers", {
        id: carrierId,
        code: carrier.code,
        name: carrier.name,
        country: "US",
        notes: carrier.notes === "" ? null : carrier.notes,
        createdAt: now,
        updatedAt: now,
      });
      for (const band of BANDS[carrier.key]) {
        bandNumber++;
        await insert("carrier_bands", {
          id: `ba9d0000-0000-4000-8000-${String(bandNumber).padStart(12, "0")}`,
          carrierId,
          technology: band.technology,
          band: band.band,
          role: band.role ?? "coverage",
          fromDate: band.from ?? null,
          untilDate: band.until ?? null,
          requiresVolte: band.requiresVolte ?? false,
          note: band.note ? `${band.note} (${SOURCE})` : SOURCE,
        });
      }
    }

    await insert("settings", {
      key: "desk_carrier",
      value: CARRIERS.tmobile,
      updatedById: null,
      updatedAt: now,
    });

    for (const model of MODELS) {
      await insert("device_models", {
        id: model.id,
        brand: model.brand,
        name: model.name,
        aka: model.aka,
        createdAt: now,
        updatedAt: now,
      });
      for (const variant of model.variants) {
        await insert("device_variants", {
          id: variant.id,
          modelId: model.id,
          name: variant.name,
          region: variant.region,
          operatorSku: null,
          lteBands: variant.lte,
          umtsBands: variant.umts,
          gsmBands: variant.gsm,
          cdmaBands: null,
          volteCapable: variant.volte,
          bandSource: variant.source,
          bandConfidence: variant.confidence,
          notes: variant.notes,
          createdAt: now,
          updatedAt: now,
        });
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const models = MODELS.map((m) => `'${m.id}'`).join(", ");
    const carriers = Object.values(CARRIERS)
      .map((id) => `'${id}'`)
      .join(", ");
    await queryRunner.query(`DELETE FROM "settings" WHERE "key" = 'desk_carrier'`);
    await queryRunner.query(`DELETE FROM "device_variants" WHERE "modelId" IN (${models})`);
    await queryRunner.query(`DELETE FROM "device_models" WHERE "id" IN (${models})`);
    await queryRunner.query(`DELETE FROM "carriers" WHERE "id" IN (${carriers})`);
  }
}

/** The ids of the seeded carriers, for tests and the demo. */
export const SEEDED_CARRIERS = CARRIERS;

/** The ids of the seeded variants, for tests and the demo. */
export const SEEDED_VARIANTS = {
  mi5China: MODELS[0].variants[0].id,
  redmiNote3Kenzo: MODELS[1].variants[0].id,
  redmiNote3Hennessy: MODELS[1].variants[1].id,
  mi4w: MODELS[2].variants[0].id,
  meizuMx5: MODELS[3].variants[0].id,
  meizuM2Note: MODELS[4].variants[0].id,
} as const;
