import { luhnCheckDigit } from "../../../../shared/domain/imei";
import type { Random } from "./random";

/** The demo's handset models (docs/DOMAIN.md), with real TACs from server/data/tac-osmocom.csv. */
export interface DemoModel {
  key: ModelKey;
  brand: "Xiaomi" | "Meizu";
  /** As the TAC catalogue names it (and the portal's model picker offers it). */
  model: string;
  tacs: readonly string[];
  /** Share of the handsets sold. */
  weight: number;
  /** Whether the variant sold has two SIM slots (so two IMEIs). */
  dualSim: boolean;
}

export type ModelKey =
  | "redmi_note_3"
  | "mi_4i"
  | "mi_4w"
  | "redmi_3"
  | "redmi_3s"
  | "redmi_note_2"
  | "m2_note"
  | "m2"
  | "m3_note";

export const MODELS: Readonly<Record<ModelKey, DemoModel>> = {
  redmi_note_3: {
    key: "redmi_note_3",
    brand: "Xiaomi",
    model: "Redmi Note 3",
    tacs: ["86927102", "86173503", "86802902", "86015303"],
    weight: 30,
    dualSim: true,
  },
  mi_4i: {
    key: "mi_4i",
    brand: "Xiaomi",
    model: "Mi 4i",
    tacs: ["86763402"],
    weight: 14,
    dualSim: true,
  },
  mi_4w: {
    key: "mi_4w",
    brand: "Xiaomi",
    model: "MI 4W",
    tacs: ["86489502"],
    weight: 7,
    dualSim: false,
  },
  redmi_3: {
    key: "redmi_3",
    brand: "Xiaomi",
    model: "Redmi 3",
    tacs: ["86867902", "86977402"],
    weight: 8,
    dualSim: true,
  },
  redmi_3s: {
    key: "redmi_3s",
    brand: "Xiaomi",
    model: "Redmi 3S",
    tacs: ["86365703"],
    weight: 8,
    dualSim: true,
  },
  redmi_note_2: {
    key: "redmi_note_2",
    brand: "Xiaomi",
    model: "Redmi Note 2",
    tacs: ["86751502", "86963302"],
    weight: 10,
    dualSim: true,
  },
  m2_note: {
    key: "m2_note",
    brand: "Meizu",
    model: "m2 note",
    tacs: ["86757002"],
    weight: 12,
    dualSim: true,
  },
  m2: { key: "m2", brand: "Meizu", model: "m2", tacs: ["86890402"], weight: 5, dualSim: true },
  m3_note: {
    key: "m3_note",
    brand: "Meizu",
    model: "M3 note",
    tacs: ["86992102"],
    weight: 8,
    dualSim: true,
  },
};

export const MODEL_KEYS = Object.keys(MODELS) as ModelKey[];

/** A Luhn-valid IMEI on `tac`, with a serial never handed out before in this run. */
export function makeImei(random: Random, tac: string, used: Set<string>): string {
  for (;;) {
    const first14 = `${tac}${random.digits(6)}`;
    const imei = `${first14}${luhnCheckDigit(first14)}`;
    if (!used.has(imei)) {
      used.add(imei);
      return imei;
    }
  }
}

/** The software the phone runs, as Settings -> About phone shows it. */
export function romOf(model: DemoModel, random: Random, global: boolean): string {
  if (model.brand === "Meizu") {
    return `Flyme ${random.pick(["5.1.3.0", "5.1.6.0", "5.1.11.0"])}${global ? "G" : "A"}`;
  }
  const code = random.pick(["HNCNDB", "HNCNCI", "HOCNCK", "AHCNBH"]);
  return `MIUI ${random.pick(["7.1.6.0", "7.2.5.0", "7.3.2.0", "8.0.1.0"])} (L${global ? code.replace("CN", "MI") : code})`;
}
