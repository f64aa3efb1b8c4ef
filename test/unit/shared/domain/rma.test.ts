import { expect } from "chai";
import {
  RMA_CUSTOMER_WORDS,
  RMA_INITIAL_STATE,
  RMA_STATES,
  RMA_STATE_LABELS,
  RMA_TRANSITIONS,
  RMA_TYPES,
  canMoveRma,
  formatMoney,
  isRmaFinished,
  nextRmaStates,
  rmaMoveNeeds,
  rmaTypeAllows,
} from "../../../../shared/domain/rma";
import type { RmaState, RmaType } from "../../../../shared/domain/rma";

/**
 * The machine of docs/DOMAIN.md ("Returns"), written out edge by edge in upper case, with the two
 * readings that are ours: a declined quote returns the unit (QUOTE_SENT -> RETURN_TO_CUSTOMER),
 * and REFUNDED follows DIAGNOSED.
 */
const SPEC = `
REQUESTED -> APPROVED
APPROVED -> AWAITING_DEVICE
AWAITING_DEVICE -> RECEIVED
RECEIVED -> DIAGNOSED
REQUESTED -> REJECTED
DIAGNOSED -> NO_FAULT_FOUND
NO_FAULT_FOUND -> RETURN_TO_CUSTOMER
DIAGNOSED -> CUSTOMER_DAMAGE
CUSTOMER_DAMAGE -> QUOTE_SENT
QUOTE_SENT -> QUOTE_ACCEPTED
QUOTE_ACCEPTED -> SENT_TO_DISTRIBUTOR
QUOTE_SENT -> RETURN_TO_CUSTOMER
DIAGNOSED -> COVERED_DEFECT
COVERED_DEFECT -> SENT_TO_DISTRIBUTOR
SENT_TO_DISTRIBUTOR -> CUSTOMS_HOLD
CUSTOMS_HOLD -> AT_DISTRIBUTOR
SENT_TO_DISTRIBUTOR -> AT_DISTRIBUTOR
AT_DISTRIBUTOR -> REPAIRED
AT_DISTRIBUTOR -> REPLACED
AT_DISTRIBUTOR -> DENIED
REPAIRED -> RETURN_SHIPPED_TO_DESK
REPLACED -> RETURN_SHIPPED_TO_DESK
DENIED -> RETURN_SHIPPED_TO_DESK
RETURN_SHIPPED_TO_DESK -> QA_PASSED
QA_PASSED -> RETURN_TO_CUSTOMER
RETURN_TO_CUSTOMER -> DELIVERED
DELIVERED -> CLOSED
DIAGNOSED -> REFUNDED
DOA_REPORTED -> ADVANCE_REPLACEMENT_SHIPPED
ADVANCE_REPLACEMENT_SHIPPED -> DEFECTIVE_RECEIVED
DEFECTIVE_RECEIVED -> CREDIT_CLAIMED
CREDIT_CLAIMED -> CLOSED
`;

const EDGES = new Set(
  SPEC.trim()
    .split("\n")
    .map((line) => line.toLowerCase().replace(" -> ", ">")),
);
const edge = (from: RmaState, to: RmaState) => EDGES.has(`${from}>${to}`);

/** Whole walks through the machine, one per way a return can go. */
const WALKS: { type: RmaType; path: RmaState[] }[] = [
  {
    type: "warranty_repair",
    path: [
      "requested",
      "approved",
      "awaiting_device",
      "received",
      "diagnosed",
      "covered_defect",
      "sent_to_distributor",
      "customs_hold",
      "at_distributor",
      "repaired",
      "return_shipped_to_desk",
      "qa_passed",
      "return_to_customer",
      "delivered",
      "closed",
    ],
  },
  {
    type: "warranty_repair",
    path: [
      "requested",
      "approved",
      "awaiting_device",
      "received",
      "diagnosed",
      "no_fault_found",
      "return_to_customer",
      "delivered",
      "closed",
    ],
  },
  { type: "warranty_repair", path: ["requested", "rejected"] },
  {
    type: "paid_repair",
    path: [
      "requested",
      "approved",
      "awaiting_device",
      "received",
      "diagnosed",
      "customer_damage",
      "quote_sent",
      "return_to_customer",
      "delivered",
      "closed",
    ],
  },
  {
    type: "return_refund",
    path: ["requested", "approved", "awaiting_device", "received", "diagnosed", "refunded"],
  },
  {
    type: "doa_advance_replacement",
    path: [
      "doa_reported",
      "advance_replacement_shipped",
      "defective_received",
      "credit_claimed",
      "closed",
    ],
  },
];

describe("shared/domain/rma", () => {
  describe("the machine", () => {
    it("has exactly the edges of docs/DOMAIN.md: every legal and every illegal pair", () => {
      let legal = 0;
      for (const from of RMA_STATES) {
        for (const to of RMA_STATES) {
          const sut = RMA_TRANSITIONS[from].includes(to);
          expect(sut, `${from} -> ${to}`).to.equal(edge(from, to));
          legal += sut ? 1 : 0;
        }
      }
      expect(legal).to.equal(EDGES.size);
      expect(RMA_STATES.length ** 2 - legal).to.equal(27 * 27 - 32);
    });

    it("ends only in closed, rejected and refunded", () => {
      const ends = RMA_STATES.filter(isRmaFinished);
      expect(ends).to.have.members(["rejected", "closed", "refunded"]);
    });

    it("reaches every state from some start, and an end from every state", () => {
      const reachable = new Set<RmaState>();
      const visit = (state: RmaState) => {
        if (reachable.has(state)) {
          return;
        }
        reachable.add(state);
        RMA_TRANSITIONS[state].forEach(visit);
      };
      RMA_TYPES.forEach((type) => visit(RMA_INITIAL_STATE[type]));
      expect([...reachable]).to.have.members([...RMA_STATES]);
      const canEnd = (state: RmaState, seen = new Set<RmaState>()): boolean =>
        isRmaFinished(state) ||
        RMA_TRANSITIONS[state].some((next) => !seen.has(next) && canEnd(next, seen.add(state)));
      for (const state of RMA_STATES) {
        expect(canEnd(state), state).to.equal(true);
      }
    });

    it("names every state for agents and (except bookkeeping) for customers", () => {
      for (const state of RMA_STATES) {
        expect(RMA_STATE_LABELS[state]).to.be.a("string").and.not.equal("");
      }
      const silent = RMA_STATES.filter((state) => RMA_CUSTOMER_WORDS[state] === null);
      expect(silent).to.deep.equal(["credit_claimed"]);
    });
  });

  describe("canMoveRma", () => {
    const sut = canMoveRma;

    it("lets an agent walk each whole return, one legal step at a time", () => {
      for (const { type, path } of WALKS) {
        expect(path[0]).to.equal(RMA_INITIAL_STATE[type]);
        for (let i = 1; i < path.length; i++) {
          expect(sut(type, path[i - 1], path[i], "agent"), `${type}: ${path[i - 1]} -> ${path[i]}`)
            .to.be.true;
        }
      }
    });

    it("refuses every move off the machine, for every type and actor", () => {
      for (const type of RMA_TYPES) {
        for (const from of RMA_STATES) {
          for (const to of RMA_STATES) {
            if (!edge(from, to)) {
              expect(sut(type, from, to, "agent"), `${type}: ${from} -> ${to}`).to.be.false;
              expect(sut(type, from, to, "customer"), `${type}: ${from} -> ${to}`).to.be.false;
            }
          }
        }
      }
    });

    it("allows each legal edge to an agent exactly when the type walks there", () => {
      for (const type of RMA_TYPES) {
        for (const from of RMA_STATES) {
          for (const to of RMA_TRANSITIONS[from]) {
            const expected = rmaTypeAllows(type, to) && to !== "quote_accepted";
            expect(sut(type, from, to, "agent"), `${type}: ${from} -> ${to}`).to.equal(expected);
          }
        }
      }
    });

    it("keeps a paid repair away from covered_defect and refunds to return-and-refund", () => {
      expect(sut("paid_repair", "diagnosed", "covered_defect", "agent")).to.be.false;
      expect(sut("warranty_repair", "diagnosed", "covered_defect", "agent")).to.be.true;
      expect(sut("warranty_repair", "diagnosed", "refunded", "agent")).to.be.false;
      expect(sut("return_refund", "diagnosed", "refunded", "agent")).to.be.true;
      expect(sut("return_refund", "diagnosed", "covered_defect", "agent")).to.be.false;
      expect(sut("doa_advance_replacement", "requested", "approved", "agent")).to.be.false;
      expect(sut("warranty_repair", "doa_reported", "advance_replacement_shipped", "agent")).to.be
        .false;
    });

    it("leaves accepting a quote to the customer, whose only move it is", () => {
      expect(sut("paid_repair", "quote_sent", "quote_accepted", "agent")).to.be.false;
      expect(sut("paid_repair", "quote_sent", "quote_accepted", "customer")).to.be.true;
      // A declined quote is recorded; shipping the unit back is the desk's move, with tracking.
      expect(sut("paid_repair", "quote_sent", "return_to_customer", "customer")).to.be.false;
      expect(sut("paid_repair", "quote_sent", "return_to_customer", "agent")).to.be.true;
      expect(sut("paid_repair", "no_fault_found", "return_to_customer", "customer")).to.be.false;
      expect(sut("warranty_repair", "requested", "approved", "customer")).to.be.false;
    });
  });

  describe("nextRmaStates", () => {
    it("lists the agent's moves for the console (never quote_accepted)", () => {
      expect(nextRmaStates("warranty_repair", "diagnosed")).to.deep.equal([
        "no_fault_found",
        "customer_damage",
        "covered_defect",
      ]);
      expect(nextRmaStates("paid_repair", "diagnosed")).to.deep.equal([
        "no_fault_found",
        "customer_damage",
      ]);
      expect(nextRmaStates("paid_repair", "quote_sent")).to.deep.equal(["return_to_customer"]);
      expect(nextRmaStates("paid_repair", "quote_sent", "customer")).to.deep.equal([
        "quote_accepted",
      ]);
      expect(nextRmaStates("warranty_repair", "closed")).to.deep.equal([]);
    });
  });

  describe("rmaMoveNeeds", () => {
    it("asks for tracking on shipping moves, and the facts each step records", () => {
      expect(rmaMoveNeeds("sent_to_distributor").leg).to.equal("desk_to_distributor");
      expect(rmaMoveNeeds("return_shipped_to_desk").leg).to.equal("distributor_to_desk");
      expect(rmaMoveNeeds("return_to_customer").leg).to.equal("desk_to_customer");
      expect(rmaMoveNeeds("advance_replacement_shipped")).to.deep.equal({
        leg: "desk_to_customer",
        diagnosis: false,
        quote: false,
        replacement: true,
        note: false,
      });
      expect(rmaMoveNeeds("diagnosed").diagnosis).to.be.true;
      expect(rmaMoveNeeds("quote_sent").quote).to.be.true;
      expect(rmaMoveNeeds("replaced").replacement).to.be.true;
      expect(rmaMoveNeeds("rejected").note).to.be.true;
      expect(rmaMoveNeeds("approved")).to.deep.equal({
        leg: null,
        diagnosis: false,
        quote: false,
        replacement: false,
        note: false,
      });
    });
  });

  it("formats money in minor units", () => {
    expect(formatMoney(12950, "USD")).to.equal("USD 129.50");
    expect(formatMoney(5, "EUR")).to.equal("EUR 0.05");
    expect(formatMoney(-100, "USD")).to.equal("-USD 1.00");
  });
});
