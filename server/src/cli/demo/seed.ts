import { performance } from "node:perf_hooks";
import { canTransition } from "../../../../shared/domain/status";
import type {
  Category,
  TicketFlag,
  TicketStatus,
  VoidReason,
  WarrantySource,
} from "../../../../shared/domain/enums";
import {
  VOID_REASON_LABELS,
  decideWarranty,
  formatLongDate,
} from "../../../../shared/domain/warranty";
import type { TicketDto, UserDto } from "../../../../shared/contracts/http/tickets";
import { seedDemoCatalog, variantOnTheBox } from "./catalog";
import { HttpClient } from "./http-client";
import type { CallStats } from "./http-client";
import { DEMO_ADMIN, DEMO_AGENTS, DEMO_PASSWORD } from "./people";
import { DAY, FULL_SIZE, actorOf, addDays, addMonths, buildPlan, isoDay, shiftStart } from "./plan";
import type { Action, AgentKey, HandsetPlan, PlanSize, TicketPlan } from "./plan";

/** The seeding server's clock, which the seeding moves forward by hand. */
export interface DemoClock {
  now(): Date;
  advance(ms: number): void;
}

/** A clock that stands still until moved (the seeding server's). */
export function manualClock(start: Date): DemoClock & { today(): string } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    today: () => isoDay(now),
    advance: (ms) => {
      now += ms;
    },
  };
}

/** How far back the demo's history starts. */
export const HISTORY_DAYS = 60;

/** Where the demo's history starts: midnight UTC, 60 days before `now`. */
export function demoStart(now = Date.now()): Date {
  return new Date(now - (now % DAY) - HISTORY_DAYS * DAY);
}

/** The default seed: the same demo on every run. */
export const DEMO_SEED = 20160215;

export interface SeedOptions {
  /** A running Greydesk, e.g. http://127.0.0.1:3000, whose clock is `clock`. */
  url: string;
  /** The server's clock; seeding starts at its current value and moves it forward. */
  clock: DemoClock;
  /** The admin the server was started with (config.bootstrapAdmin). */
  admin?: { email: string; password: string };
  size?: PlanSize;
  seed?: number;
  /** The last instant an action may happen at (ms); default two minutes ago. */
  end?: number;
  /**
   * Records a dual-SIM handset's second IMEI. The HTTP API has no endpoint for adding an
   * identifier yet, so the caller may pass a database writer; without it those are skipped.
   */
  recordSecondImei?: (handsetId: string, imei: string) => Promise<void>;
  /** Told after each step of the plan: how many are done, out of how many. */
  onProgress?: (done: number, total: number) => void;
}

export interface SeededTicket {
  number: string;
  /** The customer's link token (the last segment of /portal/t/<token>). */
  token: string;
  status: TicketStatus;
  category: Category;
  notes: number;
  messages: number;
}

export interface SeedResult {
  durationMs: number;
  requests: number;
  signIns: number;
  agents: { email: string; name: string; role: string }[];
  tickets: SeededTicket[];
  counts: {
    customers: number;
    handsets: number;
    dualSim: number;
    tickets: number;
    /** Public replies (agents and customers), not counting each ticket's opening message. */
    replies: number;
    notes: number;
    byStatus: Partial<Record<TicketStatus, number>>;
    byCategory: Partial<Record<Category, number>>;
    byWarrantySource: Partial<Record<WarrantySource, number>>;
    voided: Partial<Record<VoidReason, number>>;
    /** Warranty decisions of the handsets today (doa, covered, not_covered, pending). */
    byDecision: Record<string, number>;
    flags: Partial<Record<TicketFlag, number>>;
    unassigned: number;
  };
}

interface TicketState {
  plan: TicketPlan;
  number: string | null;
  token: string | null;
  id: string | null;
  status: TicketStatus;
  notes: number;
  messages: number;
}

interface HandsetState {
  plan: HandsetPlan;
  id: string | null;
  termsSet: boolean;
  voidReason: VoidReason | null;
  secondImeiRecorded: boolean;
  /** Whether an agent has set (or the TAC named) the variant. */
  variantKnown: boolean;
}

interface Session {
  client: HttpClient;
  signedInAt: number;
}

/**
 * Sessions end 12 hours after sign-in (auth.ts). The agents sign in when their shift starts and
 * work for less than that; anyone still at work later signs in again.
 */
const SESSION_REUSE_MS = 12 * 60 * 60_000 - 5 * 60_000;

function bump<K extends string>(record: Partial<Record<K, number>>, key: K): void {
  record[key] = (record[key] ?? 0) + 1;
}

/**
 * Fills a running Greydesk with the demo, through its HTTP API only (but for a dual-SIM
 * phone's second IMEI, see SeedOptions): customers open tickets in the portal and reply
 * through their links; the admin creates the agents; agents sign in, pick tickets up, set
 * warranty terms, reply, write notes, escalate, resolve and close. The clock moves forward
 * between actions, so the history spreads over the last 60 days.
 */
export async function seedDemo(options: SeedOptions): Promise<SeedResult> {
  const began = performance.now();
  const clock = options.clock;
  const admin = options.admin ?? DEMO_ADMIN;
  const start = clock.now().getTime();
  const end = options.end ?? Date.now() - 2 * 60_000;
  const plan = buildPlan(options.size ?? FULL_SIZE, options.seed ?? DEMO_SEED, start, end);
  const stats: CallStats = { requests: 0 };
  const portal = new HttpClient(options.url, stats);
  let signIns = 0;

  // The team: the bootstrap admin becomes the team lead, and creates the agents.
  const lead = new HttpClient(options.url, stats);
  await lead.signIn(admin.email, admin.password);
  signIns++;
  const me = await lead.get<{ user: UserDto }>("/api/auth/me");
  await lead.patch(`/api/agents/${me.user.id}`, { name: DEMO_ADMIN.name });
  const agentIds = new Map<AgentKey, string>([["lead", me.user.id]]);
  const emails = new Map<AgentKey, string>([["lead", admin.email]]);
  const passwords = new Map<AgentKey, string>([["lead", admin.password]]);
  for (const agent of DEMO_AGENTS) {
    clock.advance(7 * 60_000);
    const { user } = await lead.post<{ user: UserDto }>("/api/agents", {
      email: agent.email,
      name: agent.name,
      password: DEMO_PASSWORD,
      role: agent.role,
    });
    agentIds.set(agent.key, user.id);
    emails.set(agent.key, agent.email);
    passwords.set(agent.key, DEMO_PASSWORD);
  }
  // The models and variants the import sold, so that tickets carry a network verdict.
  const catalog = await seedDemoCatalog(lead);
  const sessions = new Map<AgentKey, Session>([
    ["lead", { client: lead, signedInAt: clock.now().getTime() }],
  ]);

  const signIn = async (key: AgentKey): Promise<HttpClient> => {
    const now = clock.now().getTime();
    await sessions.get(key)?.client.signOut();
    const client = new HttpClient(options.url, stats);
    await client.signIn(emails.get(key)!, passwords.get(key)!);
    signIns++;
    sessions.set(key, { client, signedInAt: now });
    return client;
  };

  /** The agent's session, signing in again when the last sign-in is getting old. */
  const as = async (key: AgentKey): Promise<HttpClient> => {
    const session = sessions.get(key);
    if (session !== undefined && clock.now().getTime() - session.signedInAt < SESSION_REUSE_MS) {
      return session.client;
    }
    return signIn(key);
  };

  const handsets = new Map<HandsetPlan, HandsetState>(
    plan.handsets.map((h) => [
      h,
      {
        plan: h,
        id: null,
        termsSet: false,
        voidReason: null,
        secondImeiRecorded: false,
        variantKnown: false,
      },
    ]),
  );
  const tickets = new Map<TicketPlan, TicketState>(
    plan.tickets.map((t) => [
      t,
      { plan: t, number: null, token: null, id: null, status: "new", notes: 0, messages: 0 },
    ]),
  );
  const today = () => isoDay(clock.now().getTime());

  const warrantyLine = (h: HandsetState): string => {
    const p = h.plan;
    if (!h.termsSet) {
      return "We're still confirming its warranty dates.";
    }
    const terms = termsOf(p);
    const decision = decideWarranty(
      {
        warrantySource: p.warrantySource,
        warrantyStart: p.warrantySource === "carrier" ? terms.warrantyStart : null,
        warrantyEnd: p.warrantySource === "carrier" ? terms.warrantyEnd : null,
        doaDeadline: p.warrantySource === "carrier" ? terms.doaDeadline : null,
        voidReason: h.voidReason,
      },
      today(),
    );
    switch (decision.status) {
      case "doa":
        return `It's inside the 14-day dead-on-arrival window, which runs until ${formatLongDate(terms.doaDeadline)}.`;
      case "covered":
        return `It's covered by our warranty until ${formatLongDate(terms.warrantyEnd)}.`;
      case "pending":
        return "We're still confirming its warranty dates.";
      case "not_covered":
        if (decision.reason === "sold_as_is") {
          return "This phone was sold as-is, without our warranty.";
        }
        if (decision.reason === "voided" && h.voidReason !== null) {
          return `Our warranty on this phone is void (${VOID_REASON_LABELS[h.voidReason]}).`;
        }
        return `Our warranty on it ended on ${formatLongDate(terms.warrantyEnd)}.`;
    }
  };

  const render = (text: string, t: TicketState): string => {
    const p = t.plan;
    const h = handsets.get(p.handset!)!;
    const terms = termsOf(h.plan);
    const meizu = h.plan.model.brand === "Meizu";
    const related = p.related === null ? null : tickets.get(p.related)!.number;
    const vars: Record<string, string> = {
      ...p.refs,
      first: p.customer!.first,
      brand: h.plan.model.brand,
      model: h.plan.model.model,
      rom: meizu ? "Flyme" : "MIUI",
      romVersion: h.plan.romVersion,
      logo: meizu ? "Meizu" : "Mi",
      purchase: formatLongDate(h.plan.purchaseDate!),
      until: formatLongDate(terms.warrantyEnd),
      doa: formatLongDate(terms.doaDeadline),
      batch: h.plan.batch,
      related: related ?? "your other ticket",
      warrantyLine: warrantyLine(h),
    };
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
  };

  /** The ticket's id (and its handset's), looked up by number the first time an agent acts. */
  const resolve = async (t: TicketState, client: HttpClient): Promise<string> => {
    if (t.id !== null) {
      return t.id;
    }
    const page = await client.get<{ items: TicketDto[] }>(
      `/api/tickets?q=${encodeURIComponent(t.number!)}&limit=5`,
    );
    const item = page.items.find((candidate) => candidate.number === t.number);
    if (item === undefined) {
      throw new Error(`ticket ${t.number} not found in the queue`);
    }
    t.id = item.id;
    const h = handsets.get(t.plan.handset!)!;
    h.id ??= item.handset?.id ?? null;
    return t.id;
  };

  const setStatus = async (t: TicketState, client: HttpClient, to: TicketStatus) => {
    if (t.status === to) {
      return;
    }
    if (!canTransition(t.status, to)) {
      throw new Error(`demo plan moves ${t.number} from ${t.status} to ${to}`);
    }
    await client.patch(`/api/tickets/${await resolve(t, client)}`, { status: to });
    t.status = to;
  };

  /**
   * The agent who picks a ticket up reads the variant off the box label (the customer's photo
   * or Settings -> About) when the TAC could not name it, and sets it on the handset.
   */
  const learnVariant = async (h: HandsetState, client: HttpClient) => {
    if (h.variantKnown || h.id === null) {
      return;
    }
    h.variantKnown = true;
    const { handset } = await client.get<{ handset: { variantId: string | null } }>(
      `/api/handsets/${h.id}`,
    );
    const variantId = variantOnTheBox(catalog, h.plan);
    if (handset.variantId === null && variantId !== null) {
      await client.patch(`/api/handsets/${h.id}`, { variantId });
    }
  };

  const run = async (t: TicketState, action: Action): Promise<void> => {
    const p = t.plan;
    const h = handsets.get(p.handset!)!;
    switch (action.kind) {
      case "open": {
        const purchaseDate = h.plan.purchaseDate!;
        const answer = await portal.post<{ ticket: { number: string }; accessUrl: string }>(
          "/api/portal/tickets",
          {
            name: p.customer!.name,
            email: p.customer!.email,
            ...(p.customer!.phone === null ? {} : { phone: p.customer!.phone }),
            imei: h.plan.typedImei,
            ...(h.plan.declared ?? {}),
            ...(p.customerKnowsPurchaseDate && purchaseDate <= today() ? { purchaseDate } : {}),
            category: p.portalCategory,
            subject: render(p.subject, t),
            description: render(p.description, t),
          },
        );
        t.number = answer.ticket.number;
        t.token = new URL(answer.accessUrl).pathname.split("/").pop()!;
        return;
      }
      case "customer": {
        await portal.post(`/api/portal/tickets/${t.token}/messages`, {
          body: render(action.text, t),
        });
        t.messages++;
        if (t.status === "pending_customer" || t.status === "resolved") {
          t.status = "open";
        }
        return;
      }
      case "assign": {
        const client = await as(action.by);
        await client.patch(`/api/tickets/${await resolve(t, client)}`, {
          assigneeId: agentIds.get(action.to),
        });
        return;
      }
      case "pickup": {
        const client = await as(action.by);
        const id = await resolve(t, client);
        await client.patch(`/api/tickets/${id}`, {
          ...(t.status === "open" ? {} : { status: "open" }),
          ...(action.assign ? { assigneeId: agentIds.get(action.by) } : {}),
          ...(action.priority === "normal" ? {} : { priority: action.priority }),
          ...(action.category === null ? {} : { category: action.category }),
        });
        t.status = "open";
        await learnVariant(h, client);
        return;
      }
      case "terms": {
        const client = await as(action.by);
        await resolve(t, client);
        const purchaseDate = h.plan.purchaseDate!;
        if (!h.termsSet && h.id !== null && purchaseDate <= today()) {
          const terms = termsOf(h.plan);
          await client.patch(
            `/api/handsets/${h.id}`,
            h.plan.warrantySource === "carrier"
              ? { warrantySource: "carrier", purchaseDate, ...terms }
              : { warrantySource: "none", purchaseDate },
          );
          h.termsSet = true;
        }
        if (
          h.plan.imei2 !== null &&
          !h.secondImeiRecorded &&
          h.id !== null &&
          options.recordSecondImei
        ) {
          await options.recordSecondImei(h.id, h.plan.imei2);
          h.secondImeiRecorded = true;
        }
        return;
      }
      case "void": {
        const client = await as(action.by);
        await resolve(t, client);
        if (h.id !== null && h.voidReason === null) {
          await client.patch(`/api/handsets/${h.id}`, { voidReason: action.reason });
          h.voidReason = action.reason;
        }
        return;
      }
      case "note":
      case "reply": {
        const client = await as(action.by);
        const id = await resolve(t, client);
        const internal = action.kind === "note";
        await client.post(`/api/tickets/${id}/messages`, {
          body: render(action.text, t),
          internal,
        });
        if (internal) {
          t.notes++;
        } else {
          t.messages++;
          if (t.status === "new") {
            t.status = "open";
          }
          if (action.then !== null) {
            await setStatus(t, client, action.then);
          }
        }
        return;
      }
      case "status": {
        await setStatus(t, await as(action.by), action.to);
        return;
      }
    }
  };

  // Every action of every ticket, in time order, the clock moved to each one's moment.
  const timeline = plan.tickets
    .flatMap((ticket) => ticket.actions.map((action, step) => ({ ticket, action, step })))
    .sort(
      (a, b) => a.action.at - b.action.at || a.ticket.index - b.ticket.index || a.step - b.step,
    );
  // Who works each shift: they sign in together when it starts (in parallel, as people do).
  const shifts = new Map<number, Set<AgentKey>>();
  for (const { action } of timeline) {
    const agent = actorOf(action);
    if (agent !== null) {
      const shift = shiftStart(action.at);
      shifts.set(shift, (shifts.get(shift) ?? new Set()).add(agent));
    }
  }
  const shiftStarts = [...shifts.keys()].sort((a, b) => a - b);
  const moveClockTo = (at: number) => {
    const wait = at - clock.now().getTime();
    if (wait > 0) {
      clock.advance(wait);
    }
  };
  for (const [done, { ticket, action }] of timeline.entries()) {
    options.onProgress?.(done, timeline.length);
    while (shiftStarts.length > 0 && shiftStarts[0] <= action.at) {
      const shift = shiftStarts.shift()!;
      moveClockTo(shift);
      await Promise.all([...shifts.get(shift)!].map((agent) => signIn(agent)));
    }
    moveClockTo(action.at);
    try {
      await run(tickets.get(ticket)!, action);
    } catch (error) {
      const number = tickets.get(ticket)!.number ?? `ticket #${ticket.index}`;
      throw new Error(
        `demo seeding failed at ${action.kind} of ${number} (${ticket.scenario.id}): ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
  }

  // What is now in the desk, as the queue shows it.
  const leadClient = await as("lead");
  const listed: TicketDto[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: TicketDto[]; nextCursor: string | null } = await leadClient.get(
      `/api/tickets?limit=100${cursor === null ? "" : `&cursor=${cursor}`}`,
    );
    listed.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  for (const session of sessions.values()) {
    await session.client.signOut();
  }

  const counts: SeedResult["counts"] = {
    customers: new Set(listed.map((t) => t.customer.id)).size,
    handsets: 0,
    dualSim: [...handsets.values()].filter((h) => h.secondImeiRecorded).length,
    tickets: listed.length,
    replies: 0,
    notes: 0,
    byStatus: {},
    byCategory: {},
    byWarrantySource: {},
    voided: {},
    byDecision: {},
    flags: {},
    unassigned: listed.filter((t) => t.assignee === null).length,
  };
  const seenHandsets = new Set<string>();
  for (const t of listed) {
    bump(counts.byStatus, t.status);
    bump(counts.byCategory, t.category);
    for (const flag of t.flags) {
      bump(counts.flags, flag);
    }
    if (t.handset !== null && !seenHandsets.has(t.handset.id)) {
      seenHandsets.add(t.handset.id);
      bump(counts.byWarrantySource, t.handset.warrantySource);
      if (t.warranty !== null) {
        bump(counts.byDecision, t.warranty.status);
        if (t.warranty.voidReason !== null) {
          bump(counts.voided, t.warranty.voidReason);
        }
      }
    }
  }
  counts.handsets = seenHandsets.size;
  const seeded: SeededTicket[] = [...tickets.values()].map((t) => ({
    number: t.number!,
    token: t.token!,
    status: t.status,
    category: t.plan.category,
    notes: t.notes,
    messages: t.messages,
  }));
  counts.replies = seeded.reduce((sum, t) => sum + t.messages, 0);
  counts.notes = seeded.reduce((sum, t) => sum + t.notes, 0);

  return {
    durationMs: performance.now() - began,
    requests: stats.requests,
    signIns,
    agents: [
      { email: admin.email, name: DEMO_ADMIN.name, role: "admin" },
      ...DEMO_AGENTS.map((a) => ({ email: a.email, name: a.name, role: a.role })),
    ],
    tickets: seeded.sort((a, b) => Number(a.number.slice(3)) - Number(b.number.slice(3))),
    counts,
  };
}

/** The carrier's terms for a handset: 12 months from purchase, DOA within 14 days. */
function termsOf(h: HandsetPlan): {
  warrantyStart: string;
  warrantyEnd: string;
  doaDeadline: string;
} {
  const purchase = h.purchaseDate!;
  return {
    warrantyStart: purchase,
    warrantyEnd: addMonths(purchase, 12),
    doaDeadline: addDays(purchase, 14),
  };
}
