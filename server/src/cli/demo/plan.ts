import type { Category, Priority, TicketStatus, VoidReason } from "../../../../shared/domain/enums";
import { luhnCheckDigit } from "../../../../shared/domain/imei";
import { MODEL_KEYS, MODELS, makeImei, romOf } from "./devices";
import type { DemoModel } from "./devices";
import { DEMO_AGENTS, demoCustomers } from "./people";
import type { DemoAgent, DemoCustomer } from "./people";
import { Random } from "./random";
import { CUSTOMER_NUDGES, DUPLICATE, LEAD_NOTES, SCENARIOS } from "./scenarios";
import type { Scenario, Special } from "./scenarios";

/**
 * The demo as a plan: who writes what, about which handset, and when. Pure and deterministic:
 * the same seed and size give the same plan (times are offsets before `end`, so they follow
 * the day the demo runs). seed.ts plays the plan through the HTTP API.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The team lead (the demo admin) or one of the agents. */
export type AgentKey = "lead" | DemoAgent["key"];

export type Action =
  | { kind: "open" }
  | { kind: "customer"; text: string }
  | { kind: "assign"; by: AgentKey; to: AgentKey }
  | {
      kind: "pickup";
      by: AgentKey;
      assign: boolean;
      priority: Priority;
      category: Category | null;
    }
  | { kind: "terms"; by: AgentKey }
  | { kind: "note"; by: AgentKey; text: string }
  | { kind: "reply"; by: AgentKey; text: string; then: TicketStatus | null }
  | { kind: "void"; by: AgentKey; reason: VoidReason }
  | { kind: "status"; by: AgentKey; to: TicketStatus };

export type TimedAction = Action & { at: number };

export interface HandsetPlan {
  index: number;
  model: DemoModel;
  /** The IMEI the customer enters (slot 1), as they type it. */
  typedImei: string;
  imei: string;
  /** A dual-SIM phone's second IMEI, which an agent records. */
  imei2: string | null;
  /** What the customer declares in the portal form, if anything. */
  declared: { brand: string; model: string } | null;
  warrantySource: "carrier" | "none";
  /** Days between purchase and the first ticket. */
  ageDays: number;
  /** Set once the first ticket's open time is known. */
  purchaseDate: string | null;
  romVersion: string;
  batch: string;
}

export interface TicketPlan {
  index: number;
  scenario: Scenario;
  /** A customer who wrote twice about the same thing: closed as a duplicate. */
  duplicate: boolean;
  status: TicketStatus;
  agent: AgentKey;
  subject: string;
  description: string;
  /** What the customer picked in the portal; the agent fixes it at pickup when wrong. */
  portalCategory: Category;
  category: Category;
  customerKnowsPurchaseDate: boolean;
  /** "new": a first ticket; "same": the customer's earlier handset; "other": another handset. */
  customerKind: "new" | "same" | "other";
  customer: DemoCustomer | null;
  handset: HandsetPlan | null;
  related: TicketPlan | null;
  refs: Record<string, string>;
  /** Nominal open time, ms before `end` (drawn, so deterministic; actual times may shift). */
  nominalOffset: number;
  actions: TimedAction[];
}

export interface Plan {
  start: number;
  end: number;
  tickets: TicketPlan[];
  customers: DemoCustomer[];
  handsets: HandsetPlan[];
}

export interface PlanSize {
  tickets: number;
  customers: number;
}

/** The full demo: ~150 tickets from 100 customers. */
export const FULL_SIZE: PlanSize = { tickets: 150, customers: 100 };

/** Days before the end in which a ticket left in each status was opened. */
const STATUS_WINDOW: Record<TicketStatus, readonly [number, number]> = {
  new: [0.05, 2],
  open: [0.3, 6],
  pending_customer: [1, 12],
  pending_internal: [1, 12],
  pending_distributor: [4, 28],
  resolved: [2, 40],
  closed: [8, 58],
};

const STATUS_WEIGHTS: readonly (readonly [TicketStatus, number])[] = [
  ["new", 10],
  ["open", 14],
  ["pending_customer", 14],
  ["pending_internal", 7],
  ["pending_distributor", 9],
  ["resolved", 20],
  ["closed", 26],
];

/**
 * Scenario and final status of the first tickets, so that even a small demo shows every
 * category and every status, both warranty sources, and handsets voided for liquid or
 * physical damage, an unofficial ROM and an unlocked bootloader.
 */
const COVERAGE: readonly (readonly [string, TicketStatus, "none"?])[] = [
  ["no_lte_tmobile", "pending_customer"],
  ["no_service_network_mode", "open"],
  ["volte_wifi_calling", "pending_internal"],
  ["mms_apn", "resolved"],
  ["no_google_play", "closed"],
  ["ota_update", "new"],
  ["charging_port", "pending_distributor"],
  ["doa", "pending_distributor"],
  ["warranty_earpiece", "resolved"],
  ["rma_where", "pending_distributor"],
  ["customs_hold", "open"],
  ["charger_not_us", "closed"],
  ["double_charge", "pending_internal"],
  ["stolen", "resolved"],
  ["language_stuck", "closed"],
  ["liquid_damage", "closed"],
  ["flashed_bootloop", "pending_distributor"],
  ["flashed_bootloop", "closed"],
  ["cracked_screen", "resolved"],
  ["warranty_expired_camera", "resolved", "none"],
];

/** The flagged tickets: [special, final status, window in days before the end]. */
const SPECIALS: readonly (readonly [Special, TicketStatus, readonly [number, number]])[] = [
  ["stolen", "closed", [44, 50]],
  ["blocked_resale", "pending_internal", [3, 7]],
  ["test_range", "resolved", [10, 25]],
  ["brand_mismatch", "pending_distributor", [5, 12]],
];

/** Scenarios a customer may write about later, on a handset already on record. */
const FOLLOW_UPS = ["rma_where", "ota_update", "mms_apn", "double_charge", "language_stuck"];

/** What customers pick by mistake, by the right category. */
const CONFUSED: Partial<Record<Category, Category>> = {
  network: "no_service",
  no_service: "network",
  sms_mms_data: "network",
  hardware_defect: "warranty_claim",
  warranty_claim: "hardware_defect",
  software_update: "google_services_rom",
  accessories: "other",
  volte_wifi_calling: "network",
};

const MODEL_CODES: Record<string, string> = {
  redmi_note_3: "RN3",
  mi_4i: "M4I",
  mi_4w: "M4W",
  redmi_3: "R3",
  redmi_3s: "R3S",
  redmi_note_2: "RN2",
  m2_note: "M2N",
  m2: "M2",
  m3_note: "M3N",
};

function scenario(id: string): Scenario {
  const found = SCENARIOS.find((s) => s.id === id);
  if (found === undefined) {
    throw new Error(`no demo scenario ${id}`);
  }
  return found;
}

/** `YYYY-MM-DD` of an instant (UTC, the desk's zone). */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Adds days to a `YYYY-MM-DD` date. */
export function addDays(iso: string, days: number): string {
  return isoDay(Date.parse(`${iso}T00:00:00Z`) + days * DAY);
}

/** Adds months to a `YYYY-MM-DD` date; the 31st becomes the month's last day when needed. */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return isoDay(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last)));
}

/**
 * Agents work 8:00-19:30 US Eastern (13:00-00:30 UTC): an agent action that would fall at
 * night waits for the morning. Customers mostly sleep between 0:00 and 6:00 Eastern.
 */
function workingTime(at: number, who: "agent" | "customer"): number {
  const dayStart = at - (at % DAY);
  const hour = (at - dayStart) / HOUR;
  const jitter = at % (75 * MINUTE);
  if (who === "agent" && hour >= 0.5 && hour < 13) {
    return dayStart + 13 * HOUR + jitter;
  }
  if (who === "customer" && hour >= 5 && hour < 11) {
    return dayStart + 11 * HOUR + jitter;
  }
  return at;
}

/** When the agents' shift that `at` falls in began: they sign in at 12:50 UTC. */
export function shiftStart(at: number): number {
  const signIn = 12 * HOUR + 50 * MINUTE;
  return Math.floor((at - signIn) / DAY) * DAY + signIn;
}

/** The agent acting in an action, if any. */
export function actorOf(action: Action): AgentKey | null {
  return "by" in action ? action.by : null;
}

interface Step {
  action: Action;
  delay: number;
  who: "agent" | "customer";
}

class Script {
  readonly steps: Step[] = [];

  constructor(private readonly random: Random) {}

  add(action: Action, minMinutes: number, maxMinutes: number): void {
    const who = action.kind === "open" || action.kind === "customer" ? "customer" : "agent";
    const delay = Math.round(this.random.between(minMinutes, maxMinutes) * MINUTE);
    this.steps.push({ action, delay, who });
  }

  /** Nominal length, ignoring working hours. */
  duration(): number {
    return this.steps.reduce((sum, step) => sum + step.delay, 0);
  }
}

function pickAgent(random: Random): AgentKey {
  return random.weighted<AgentKey>([
    ...DEMO_AGENTS.map((agent) => [agent.key, agent.weight] as const),
    ["lead", 10],
  ]);
}

function refsFor(random: Random): Record<string, string> {
  return {
    rma: `RMA-${random.int(30_000, 49_999)}`,
    tracking: `1Z${random.pick(["9W8", "A47", "X21", "4E0"])}${random.pick(["47A", "Y12", "R65"])}0${random.digits(9)}`,
    dhl: random.digits(10),
    ref: String(random.int(1_000, 9_999)),
    police: `${random.pick(["24", "25", "26"])}-${random.digits(6)}`,
    price: random.pick(["$149.99", "$179.99", "$199.00", "$219.99"]),
    card4: random.digits(4),
  };
}

function newHandset(
  random: Random,
  index: number,
  spec: Scenario,
  used: Set<string>,
  status: TicketStatus,
  asIsForced = false,
): HandsetPlan {
  const keys = spec.models ?? MODEL_KEYS;
  const model = MODELS[random.weighted(keys.map((key) => [key, MODELS[key].weight] as const))];
  const tac = random.pick(model.tacs);
  let imei = makeImei(random, tac, used);
  if (spec.special === "test_range") {
    // A test-range TAC (reporting body 00): Luhn-valid, but no real phone's.
    const first14 = `00${random.digits(12)}`;
    imei = `${first14}${luhnCheckDigit(first14)}`;
  }
  const imei2 = model.dualSim && random.chance(0.15) ? makeImei(random, tac, used) : null;
  const typed = random.weighted([
    ["plain", 8],
    ["spaces", 1],
    ["hyphens", 1],
  ] as const);
  const typedImei =
    typed === "spaces"
      ? `${imei.slice(0, 8)} ${imei.slice(8, 14)} ${imei.slice(14)}`
      : typed === "hyphens"
        ? `${imei.slice(0, 2)}-${imei.slice(2, 8)}-${imei.slice(8, 14)}-${imei.slice(14)}`
        : imei;
  const declared =
    spec.special === "brand_mismatch"
      ? { brand: "Meizu", model: "m2 note" }
      : random.chance(0.7)
        ? { brand: model.brand, model: model.model }
        : null;
  const ageDays =
    spec.age === "new"
      ? random.int(spec.category === "doa" ? 1 : 0, 9)
      : spec.age === "recent"
        ? random.int(20, 320)
        : random.int(380, 640);
  // A ticket meant to wait on a repair needs a covered handset (see Scenario.notCovered).
  const repair = spec.notCovered !== undefined && status === spec.escalate?.status;
  const asIs =
    asIsForced ||
    (spec.asIs !== false && spec.special === undefined && !repair && random.chance(0.22));
  return {
    index,
    model,
    typedImei,
    imei,
    imei2,
    declared,
    warrantySource: asIs ? "none" : "carrier",
    ageDays,
    purchaseDate: null,
    romVersion: romOf(model, random, false),
    batch: `HK-${random.pick(["08", "09", "10", "11"])}${random.int(10, 28)}-${MODEL_CODES[model.key]}`,
  };
}

/** Whether the handset is not covered at any point of this ticket (sold as-is or expired). */
function notCovered(handset: HandsetPlan): boolean {
  return handset.warrantySource === "none" || handset.ageDays > 360;
}

/**
 * The script of one ticket for its final status: opened, picked up, notes, questions and
 * answers, maybe an escalation, a resolution, a close. Returns the steps with drawn delays.
 */
function scriptFor(random: Random, ticket: TicketPlan): Script {
  const script = new Script(random);
  const spec = ticket.scenario;
  const by = ticket.agent;
  const target = ticket.status;
  script.add({ kind: "open" }, 0, 0);

  if (ticket.duplicate) {
    script.add({ kind: "pickup", by, assign: true, priority: "normal", category: null }, 30, 240);
    script.add({ kind: "note", by, text: DUPLICATE.note }, 1, 4);
    script.add({ kind: "reply", by, text: DUPLICATE.reply, then: "closed" }, 1, 5);
    return script;
  }

  if (target === "new") {
    if (random.chance(0.3)) {
      script.add({ kind: "customer", text: random.pick(CUSTOMER_NUDGES) }, 180, 1200);
    }
    if (random.chance(0.2)) {
      script.add({ kind: "assign", by: "lead", to: by }, 20, 180);
    }
    return script;
  }

  const priority = random.weighted(spec.priority);
  const fast = priority === "urgent" ? [5, 45] : priority === "high" ? [15, 180] : [30, 600];
  script.add(
    {
      kind: "pickup",
      by,
      assign: spec.special !== undefined || !random.chance(0.07),
      priority,
      category: ticket.portalCategory === ticket.category ? null : ticket.category,
    },
    fast[0],
    fast[1],
  );
  script.add({ kind: "terms", by }, 1, 4);
  if (spec.special !== undefined || random.chance(0.75)) {
    script.add({ kind: "note", by, text: random.pick(spec.notes) }, 2, 15);
  }
  if (by !== "lead" && random.chance(0.12)) {
    script.add({ kind: "note", by: "lead", text: random.pick(LEAD_NOTES) }, 60, 360);
  }

  const exchanges = spec.exchanges;
  const handset = ticket.handset!;
  const skipEscalation = spec.notCovered !== undefined && notCovered(handset);
  const ask = (i: number) => {
    const exchange = exchanges[i];
    const [minDays, maxDays] = exchange.after ?? [0, 0];
    let minutes = [minDays * 1440 + 5, maxDays * 1440 + 300];
    if (exchange.void !== undefined) {
      // By handset, not drawn: neighbouring handsets get different reasons.
      const reason = exchange.void[handset.index % exchange.void.length];
      script.add({ kind: "void", by, reason }, minutes[0], minutes[1]);
      minutes = [2, 120];
    }
    script.add(
      { kind: "reply", by, text: exchange.ask, then: "pending_customer" },
      minutes[0],
      minutes[1],
    );
  };
  const answer = (i: number) => {
    script.add({ kind: "customer", text: exchanges[i].answer }, 40, 1800);
  };
  let full: number;
  switch (target) {
    case "pending_customer":
      full = random.int(0, exchanges.length - 1);
      break;
    case "open":
      full = random.int(0, exchanges.length);
      break;
    default:
      full = exchanges.length;
  }
  for (let i = 0; i < full; i++) {
    ask(i);
    answer(i);
  }
  if (target === "pending_customer") {
    ask(full);
    return script;
  }
  if (target === "open") {
    return script;
  }
  const escalation = spec.escalate;
  let escalated = false;
  if (
    escalation !== undefined &&
    !skipEscalation &&
    (target === escalation.status ||
      ((target === "resolved" || target === "closed") && (escalation.always || random.chance(0.4))))
  ) {
    script.add({ kind: "reply", by, text: escalation.reply, then: null }, 15, 300);
    script.add({ kind: "note", by, text: escalation.note }, 1, 5);
    script.add({ kind: "status", by, to: escalation.status }, 0, 1);
    escalated = true;
    if (target === escalation.status) {
      return script;
    }
  }
  if (spec.resolveVoid !== undefined) {
    script.add({ kind: "void", by, reason: random.pick(spec.resolveVoid) }, 10, 120);
  }
  const resolution =
    spec.notCovered !== undefined && notCovered(handset)
      ? spec.notCovered
      : escalated && spec.afterEscalation !== undefined
        ? spec.afterEscalation
        : random.pick(spec.resolutions);
  const wait = escalated ? escalation!.days : ([0, 0] as const);
  script.add(
    { kind: "reply", by, text: resolution, then: "resolved" },
    wait[0] * 24 * 60 + 20,
    wait[1] * 24 * 60 + 480,
  );
  if (target === "closed") {
    script.add({ kind: "status", by, to: "closed" }, 2 * 24 * 60, 7 * 24 * 60);
  }
  return script;
}

/**
 * Lays the steps on the calendar: opened `offset` before the end, each step after the one
 * before, agents in working hours. A ticket that would run past the end moves back whole days.
 */
function schedule(steps: Step[], openAt: number, start: number, end: number): TimedAction[] {
  const place = (from: number): TimedAction[] => {
    let at = from;
    return steps.map((step, i) => {
      at = i === 0 ? at : workingTime(at + step.delay, step.who);
      return { ...step.action, at };
    });
  };
  let timed = place(openAt);
  const latest = end - MINUTE;
  const last = timed[timed.length - 1].at;
  if (last > latest) {
    const back = Math.ceil((last - latest) / DAY) * DAY;
    if (openAt - back >= start) {
      timed = place(openAt - back);
    } else {
      // Too long for the window: squeeze the steps evenly between the open and the end.
      const span = latest - openAt;
      timed = timed.map((action, i) => ({
        ...action,
        at: openAt + Math.round((span * i) / Math.max(1, timed.length - 1)),
      }));
    }
  }
  return timed;
}

/** Moves a ticket's actions to open at `open`, keeping their gaps and the working hours. */
function replay(actions: TimedAction[], open: number, end: number): TimedAction[] {
  let at = open;
  const moved = actions.map((action, i) => {
    if (i > 0) {
      const who = action.kind === "customer" ? "customer" : "agent";
      at = workingTime(at + action.at - actions[i - 1].at, who);
    }
    return { ...action, at };
  });
  const latest = end - MINUTE;
  return moved.map((action, i) => ({
    ...action,
    at: Math.min(action.at, latest - (moved.length - 1 - i) * MINUTE),
  }));
}

/**
 * Builds the whole demo plan. `start` is when the desk opened (the clock's first value),
 * `end` the last instant an action may take (a little before the real now).
 */
export function buildPlan(size: PlanSize, seed: number, start: number, end: number): Plan {
  const random = new Random(seed);
  const minimum = COVERAGE.length + SPECIALS.length;
  if (size.tickets < minimum) {
    throw new RangeError(`the demo needs at least ${minimum} tickets`);
  }
  const customerCount = Math.min(size.customers, size.tickets);
  const customers = random.shuffle(demoCustomers(size.customers)).slice(0, customerCount);
  const usedImeis = new Set<string>();
  const handsets: HandsetPlan[] = [];
  const tickets: TicketPlan[] = [];
  const firstDay = (end - start) / DAY - 0.5;

  // What each ticket is about, its final status and whose customer it is.
  const repeats = size.tickets - customerCount;
  const repeatSlots = new Set(
    random
      .shuffle(Array.from({ length: size.tickets - minimum }, (_, i) => minimum + i))
      .slice(0, repeats),
  );
  for (let index = 0; index < size.tickets; index++) {
    let spec: Scenario;
    let status: TicketStatus;
    let window: readonly [number, number] | null = null;
    let customerKind: TicketPlan["customerKind"] = "new";
    let duplicate = false;
    if (index < COVERAGE.length) {
      spec = scenario(COVERAGE[index][0]);
      status = COVERAGE[index][1];
    } else if (index < minimum) {
      const [special, specialStatus, specialWindow] = SPECIALS[index - COVERAGE.length];
      spec = SCENARIOS.find((s) => s.special === special)!;
      status = specialStatus;
      window = specialWindow;
    } else if (repeatSlots.has(index) && random.chance(0.62)) {
      customerKind = "same";
      duplicate = random.chance(0.15);
      spec = scenario(random.pick(FOLLOW_UPS));
      status = duplicate ? "closed" : random.weighted(STATUS_WEIGHTS);
    } else {
      customerKind = repeatSlots.has(index) ? "other" : "new";
      spec = random.weighted(SCENARIOS.map((s) => [s, s.weight] as const));
      status = random.weighted(STATUS_WEIGHTS);
    }
    if (spec.escalate?.status !== "pending_internal" && status === "pending_internal") {
      status = "open";
    }
    if (spec.escalate?.status !== "pending_distributor" && status === "pending_distributor") {
      status = "pending_customer";
    }
    const handset =
      customerKind === "same" || spec.special === "blocked_resale"
        ? null
        : newHandset(
            random,
            handsets.length,
            spec,
            usedImeis,
            status,
            index < COVERAGE.length && COVERAGE[index][2] === "none",
          );
    if (handset !== null) {
      handsets.push(handset);
    }
    const recategorised =
      index >= minimum && status !== "new" && CONFUSED[spec.category] && random.chance(0.12);
    const ticket: TicketPlan = {
      index,
      scenario: spec,
      duplicate,
      status,
      agent: pickAgent(random),
      subject: "",
      description: "",
      portalCategory: recategorised ? CONFUSED[spec.category]! : spec.category,
      category: spec.category,
      customerKnowsPurchaseDate: random.chance(0.6),
      customerKind,
      customer: null,
      handset,
      related: null,
      refs: refsFor(random),
      nominalOffset: 0,
      actions: [],
    };
    [ticket.subject, ticket.description] = random.pick(spec.openings);
    // A follow-up's handset is known only once it is matched to an earlier ticket; its script
    // needs only the warranty-free parts, so any handset stands in for the draw.
    const script = scriptFor(random, { ...ticket, handset: handset ?? handsets[0] ?? null });
    const [lo, hi] = window ?? STATUS_WINDOW[status];
    const needed = script.duration() / DAY + 0.05;
    const from = Math.min(firstDay, Math.max(lo, needed));
    const to = Math.min(firstDay, Math.max(hi, from + 0.5));
    ticket.nominalOffset = Math.round(random.between(from, to) * DAY);
    ticket.actions = schedule(script.steps, end - ticket.nominalOffset, start, end);
    tickets.push(ticket);
  }

  // Customers and handsets, in the order the tickets were opened.
  const chronological = [...tickets].sort((a, b) => b.nominalOffset - a.nominalOffset);
  let nextCustomer = 0;
  const firsts: TicketPlan[] = [];
  const duplicated = new Set<TicketPlan>();
  const assigned: TicketPlan[] = [];
  const stolen = tickets.find((t) => t.scenario.special === "stolen")!;
  for (const ticket of chronological) {
    // Earlier tickets a returning customer can have written; specials only if nothing else.
    const pool =
      firsts.length > 0 ? firsts : assigned.filter((t) => t.scenario.special !== "blocked_resale");
    if (ticket.customerKind === "new" || pool.length === 0) {
      ticket.customer = customers[nextCustomer++ % customers.length];
      if (ticket.customerKind === "same") {
        ticket.customerKind = "other";
        ticket.handset = newHandset(
          random,
          handsets.length,
          ticket.scenario,
          usedImeis,
          ticket.status,
        );
        handsets.push(ticket.handset);
      }
    } else if (ticket.duplicate) {
      // The same request sent twice, a few hours apart: closed, pointing to the first.
      const candidates = firsts.filter(
        (t) => !duplicated.has(t) && t.actions[0].at <= end - 2 * DAY,
      );
      const original = random.pick(candidates.length > 0 ? candidates : pool);
      duplicated.add(original);
      Object.assign(ticket, {
        customer: original.customer,
        related: original,
        handset: original.handset,
        scenario: original.scenario,
        category: original.category,
        portalCategory: original.portalCategory,
        subject: original.subject,
        description: `Not sure my first message went through, so sending it again. ${original.description}`,
      });
      const open = original.actions[0].at + Math.round(random.between(40, 20 * 60) * MINUTE);
      ticket.actions = replay(ticket.actions, open, end);
      ticket.nominalOffset = end - open;
    } else {
      const earlier = firsts.filter((t) => t.nominalOffset - ticket.nominalOffset >= 2 * DAY);
      const original = random.pick(earlier.length > 0 ? earlier : pool);
      ticket.customer = original.customer;
      ticket.related = original;
      if (ticket.customerKind === "same") {
        ticket.handset = original.handset;
        if (random.chance(0.7)) {
          ticket.agent = original.agent;
        }
      }
    }
    if (ticket.scenario.special === "blocked_resale") {
      ticket.handset = stolen.handset;
      ticket.related = stolen;
    }
    if (ticket.customerKind === "new" && ticket.scenario.special === undefined) {
      firsts.push(ticket);
    }
    assigned.push(ticket);
    const handset = ticket.handset!;
    if (handset.purchaseDate === null) {
      handset.purchaseDate = isoDay(ticket.actions[0].at - handset.ageDays * DAY);
    }
  }
  return { start, end, tickets, customers, handsets };
}
