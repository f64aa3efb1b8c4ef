import { RMA_TYPES_FOR } from "../../../../shared/domain/rma";
import { useEffect, useState } from "preact/hooks";
import type { RmaDto } from "../../../../shared/contracts/http/rma";
import { RmaLimits } from "../../../../shared/domain/limits";
import type { TicketDto } from "../../../../shared/contracts/http/tickets";
import {
  RMA_LEG_LABELS,
  RMA_STATE_LABELS,
  RMA_TYPE_LABELS,
  formatMoney,
  rmaMoveNeeds,
} from "../../../../shared/domain/rma";
import type { RmaState, RmaType } from "../../../../shared/domain/rma";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { listRmas, moveRma, openRma, setRmaLeg, updateRma } from "../../api/rma";
import type { RmaMove } from "../../api/rma";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatDateTime } from "../tickets/format";
import "./rma.css";

const MONEY = /^\d{1,8}(?:\.\d{1,2})?$/;

/** "129.5" -> 12950 minor units, or null when it is not an amount. */
export function parseMoney(text: string): number | null {
  const trimmed = text.trim();
  if (!MONEY.test(trimmed)) {
    return null;
  }
  const [whole, cents = ""] = trimmed.split(".");
  return Number(whole) * 100 + Number(cents.padEnd(2, "0"));
}

/**
 * The ticket's RMA: open one (the types its warranty allows), move it through only the states
 * the machine allows next (each asking for what it needs: tracking, diagnosis, quote,
 * replacement IMEI), its legs and tracking, its facts and costs, and its history.
 */
export function RmaPanel({ ticket }: { ticket: TicketDto }) {
  const [rmas, setRmas] = useState<RmaDto[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  // Again whenever the ticket changes (a move here or elsewhere, a customer's answer).
  useEffect(() => {
    const controller = new AbortController();
    listRmas(ticket.id, controller.signal).then(setRmas, (failure: unknown) => {
      if (!isAbortError(failure)) {
        setError(asApiError(failure));
      }
    });
    return () => controller.abort();
  }, [ticket.id, ticket.updatedAt]);

  const run = (work: () => Promise<RmaDto>) => {
    setBusy(true);
    setError(null);
    return work()
      .then((rma) => {
        setRmas((current) => [rma, ...(current ?? []).filter((item) => item.id !== rma.id)]);
        return true;
      })
      .catch((failure: unknown) => {
        setError(asApiError(failure));
        return false;
      })
      .finally(() => setBusy(false));
  };

  const current = rmas?.[0] ?? null;
  const closedTicket = ticket.status === "closed";
  return (
    <section class="card rma-panel" aria-labelledby="rma-title">
      <h2 id="rma-title" class="card__title">
        RMA
      </h2>
      {error !== null && <ErrorMessage error={error} title="The RMA was not changed" />}
      {rmas === null ? (
        error === null && <p role="status">Loading…</p>
      ) : current === null || current.finished ? (
        <>
          {current !== null && <RmaSummary rma={current} />}
          {closedTicket ? null : (
            <OpenRmaForm
              ticket={ticket}
              busy={busy}
              onOpen={(type) => void run(() => openRma(ticket.id, type))}
            />
          )}
        </>
      ) : (
        <CurrentRma rma={current} busy={busy || closedTicket} run={run} />
      )}
      {rmas !== null && rmas.length > 1 && (
        <p class="muted">
          {rmas.length - 1} earlier RMA{rmas.length > 2 ? "s" : ""} on this ticket:{" "}
          {rmas
            .slice(1)
            .map((rma) => `${rma.number ?? "unnumbered"} (${RMA_STATE_LABELS[rma.state]})`)
            .join(", ")}
        </p>
      )}
    </section>
  );
}

function OpenRmaForm({
  ticket,
  busy,
  onOpen,
}: {
  ticket: TicketDto;
  busy: boolean;
  onOpen: (type: RmaType) => void;
}) {
  const allowed = ticket.warranty === null ? [] : RMA_TYPES_FOR[ticket.warranty.status];
  const [type, setType] = useState<RmaType | "">("");
  const chosen = type !== "" && allowed.includes(type) ? type : (allowed.at(0) ?? "");
  if (ticket.handset === null || ticket.warranty === null) {
    return <p class="muted">Record the handset first: an RMA returns a handset.</p>;
  }
  return (
    <form
      class="form"
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen !== "") {
          onOpen(chosen);
        }
      }}
    >
      <div class="field field--compact">
        <label for={`rma-type-${ticket.id}`}>Type of return</label>
        <select
          id={`rma-type-${ticket.id}`}
          value={chosen}
          onChange={(event) => setType(event.currentTarget.value as RmaType)}
        >
          {allowed.map((option) => (
            <option key={option} value={option}>
              {RMA_TYPE_LABELS[option]}
            </option>
          ))}
        </select>
        {ticket.warranty.status !== "covered" && ticket.warranty.status !== "doa" && (
          <p class="field__hint muted">
            {ticket.warranty.summary}: only a paid repair, with a quote the customer accepts on
            their ticket page.
          </p>
        )}
      </div>
      <button type="submit" class="button button--secondary" disabled={busy || chosen === ""}>
        Open RMA
      </button>
    </form>
  );
}

/** A finished RMA, briefly. */
function RmaSummary({ rma }: { rma: RmaDto }) {
  return (
    <p class="rma-panel__head">
      <span class="rma-panel__number">{rma.number ?? "RMA"}</span>
      <span>{RMA_TYPE_LABELS[rma.type]}</span>
      <span class={`badge rma-badge rma-badge--${rma.state}`}>{RMA_STATE_LABELS[rma.state]}</span>
    </p>
  );
}

function CurrentRma({
  rma,
  busy,
  run,
}: {
  rma: RmaDto;
  busy: boolean;
  run: (work: () => Promise<RmaDto>) => Promise<boolean>;
}) {
  const [moving, setMoving] = useState<RmaState | null>(null);
  useEffect(() => setMoving(null), [rma.state]);
  const toCustomer = rma.legs.find((leg) => leg.kind === "customer_to_desk");
  return (
    <>
      <RmaSummary rma={rma} />
      <dl class="rma-panel__facts">
        <dt>Warranty at opening</dt>
        <dd>{rma.warrantyAtOpen.replace("_", " ")}</dd>
        {rma.distributor !== null && (
          <>
            <dt>Distributor</dt>
            <dd dir="auto">{rma.distributor.name}</dd>
          </>
        )}
        <dt>Distributor's reference</dt>
        <dd class="mono">{rma.distributorRef ?? "—"}</dd>
        {rma.diagnosis !== null && (
          <>
            <dt>Diagnosis</dt>
            <dd dir="auto">{rma.diagnosis}</dd>
          </>
        )}
        {rma.outcome !== null && (
          <>
            <dt>Outcome</dt>
            <dd dir="auto">{rma.outcome}</dd>
          </>
        )}
        {rma.replacement !== null && (
          <>
            <dt>Replacement</dt>
            <dd class="mono">{rma.replacement.imei ?? "—"}</dd>
          </>
        )}
        {rma.costs.currency !== null && (
          <>
            <dt>Costs</dt>
            <dd>
              {rma.costs.distributorMinor !== null &&
                `distributor ${formatMoney(rma.costs.distributorMinor, rma.costs.currency)}`}
              {rma.costs.distributorMinor !== null && rma.costs.shippingMinor !== null && ", "}
              {rma.costs.shippingMinor !== null &&
                `shipping ${formatMoney(rma.costs.shippingMinor, rma.costs.currency)}`}
            </dd>
          </>
        )}
      </dl>
      {rma.quote !== null && (
        <p class="rma-quote">
          Quote {formatMoney(rma.quote.amountMinor, rma.quote.currency)}
          {rma.quote.description !== null && <> for “{rma.quote.description}”</>}:{" "}
          <strong>
            {rma.quote.decision === null
              ? "waiting for the customer (they answer on their ticket page)"
              : rma.quote.decision}
          </strong>
        </p>
      )}

      <h3>Next step</h3>
      {rma.next.length === 0 ? (
        <p class="muted">
          {rma.state === "quote_sent"
            ? "Waiting for the customer to accept or decline the quote."
            : "Nothing follows this step."}
        </p>
      ) : (
        <ul class="rma-panel__moves" aria-label="Allowed next steps">
          {rma.next.map((state) => (
            <li key={state}>
              <button
                type="button"
                class="button button--secondary button--small"
                aria-pressed={moving === state}
                disabled={busy}
                data-rma-next={state}
                onClick={() => setMoving(moving === state ? null : state)}
              >
                → {RMA_STATE_LABELS[state]}
              </button>
            </li>
          ))}
        </ul>
      )}
      {moving !== null && (
        <MoveForm
          rma={rma}
          to={moving}
          busy={busy}
          onCancel={() => setMoving(null)}
          onMove={(move) => run(() => moveRma(rma.id, move))}
        />
      )}

      <h3>Legs</h3>
      {rma.legs.length === 0 ? (
        <p class="muted">Nothing shipped yet.</p>
      ) : (
        <ul class="rma-legs">
          {rma.legs.map((leg) => (
            <li key={leg.kind}>
              <strong>{RMA_LEG_LABELS[leg.kind]}</strong>
              {leg.courier !== null && <> · {leg.courier}</>}
              {leg.trackingNumber !== null && (
                <>
                  {" "}
                  <span class="mono">{leg.trackingNumber}</span>
                </>
              )}
              <span class="muted">
                {leg.shippedAt !== null && <> · shipped {formatDateTime(leg.shippedAt)}</>}
                {leg.receivedAt !== null && <> · received {formatDateTime(leg.receivedAt)}</>}
              </span>
            </li>
          ))}
        </ul>
      )}
      {(rma.state === "approved" || rma.state === "awaiting_device") &&
        (toCustomer === undefined || toCustomer.trackingNumber === null) && (
          <LegForm
            busy={busy}
            onSave={(courier, trackingNumber) =>
              run(() => setRmaLeg(rma.id, "customer_to_desk", { courier, trackingNumber }))
            }
          />
        )}

      <FactsForm rma={rma} busy={busy} run={run} />

      <h3>History</h3>
      <ol class="rma-history">
        {rma.history.map((step, index) => (
          <li key={`${step.at}-${index}`}>
            {step.from === null ? "Opened" : `${RMA_STATE_LABELS[step.from]} →`}{" "}
            <strong>{RMA_STATE_LABELS[step.to]}</strong>
            <span class="muted">
              {" "}
              by {step.actor.name ?? (step.actor.type === "customer" ? "the customer" : "Greydesk")}
              , {formatDateTime(step.at)}
            </span>
            {step.note !== null && (
              <span class="muted" dir="auto">
                {" "}
                — {step.note}
              </span>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

/** The form of one move: only the fields this step needs, then "Move to …". */
function MoveForm({
  rma,
  to,
  busy,
  onCancel,
  onMove,
}: {
  rma: RmaDto;
  to: RmaState;
  busy: boolean;
  onCancel: () => void;
  onMove: (move: RmaMove) => Promise<boolean>;
}) {
  const needs = rmaMoveNeeds(to);
  const [courier, setCourier] = useState("");
  const [tracking, setTracking] = useState("");
  const [diagnosis, setDiagnosis] = useState(rma.diagnosis ?? "");
  const [outcome, setOutcome] = useState("");
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState("USD");
  const [description, setDescription] = useState("");
  const [imei, setImei] = useState("");
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const id = (field: string) => `rma-move-${field}`;
  const asksOutcome = to === "repaired" || to === "replaced" || to === "denied";

  const submit = (event: Event) => {
    event.preventDefault();
    const move: RmaMove = { to, from: rma.state };
    if (needs.leg !== null) {
      move.leg = { courier: courier.trim(), trackingNumber: tracking.trim() };
    }
    if (needs.diagnosis) {
      move.diagnosis = diagnosis.trim();
    }
    if (needs.quote) {
      const minor = parseMoney(amount);
      if (minor === null) {
        setProblem("Write the amount like 129.50");
        return;
      }
      move.quote = {
        amountMinor: minor,
        currency: currency.trim().toUpperCase(),
        ...(description.trim() !== "" ? { description: description.trim() } : {}),
      };
    }
    if (needs.replacement) {
      move.replacement = { imei: imei.trim() };
    }
    if (asksOutcome && outcome.trim() !== "") {
      move.outcome = outcome.trim();
    }
    if (note.trim() !== "") {
      move.note = note.trim();
    }
    setProblem(null);
    void onMove(move);
  };

  return (
    <form class="rma-move" onSubmit={submit} aria-labelledby={id("title")}>
      <p id={id("title")} class="rma-move__title">
        <strong>Move to {RMA_STATE_LABELS[to]}</strong>
      </p>
      {needs.leg !== null && (
        <>
          <p class="muted field__hint">{RMA_LEG_LABELS[needs.leg]}</p>
          <div class="field field--compact">
            <label for={id("courier")}>Courier</label>
            <input
              id={id("courier")}
              required
              maxLength={RmaLimits.courierMax}
              value={courier}
              onInput={(event) => setCourier(event.currentTarget.value)}
            />
          </div>
          <div class="field field--compact">
            <label for={id("tracking")}>Tracking number</label>
            <input
              id={id("tracking")}
              class="mono"
              required
              minLength={RmaLimits.trackingMin}
              maxLength={RmaLimits.trackingMax}
              value={tracking}
              onInput={(event) => setTracking(event.currentTarget.value)}
            />
          </div>
        </>
      )}
      {needs.diagnosis && (
        <div class="field field--compact">
          <label for={id("diagnosis")}>Diagnosis</label>
          <textarea
            id={id("diagnosis")}
            required
            rows={3}
            maxLength={RmaLimits.diagnosisMax}
            value={diagnosis}
            onInput={(event) => setDiagnosis(event.currentTarget.value)}
          />
        </div>
      )}
      {needs.quote && (
        <>
          <div class="field field--compact">
            <label for={id("amount")}>Quote amount</label>
            <input
              id={id("amount")}
              required
              inputMode="decimal"
              placeholder="129.50"
              value={amount}
              onInput={(event) => setAmount(event.currentTarget.value)}
            />
          </div>
          <div class="field field--compact">
            <label for={id("currency")}>Currency</label>
            <input
              id={id("currency")}
              required
              maxLength={3}
              value={currency}
              onInput={(event) => setCurrency(event.currentTarget.value)}
            />
          </div>
          <div class="field field--compact">
            <label for={id("quote-text")}>What the quote covers (the customer reads it)</label>
            <input
              id={id("quote-text")}
              maxLength={RmaLimits.noteMax}
              value={description}
              onInput={(event) => setDescription(event.currentTarget.value)}
            />
          </div>
        </>
      )}
      {needs.replacement && (
        <div class="field field--compact">
          <label for={id("imei")}>Replacement unit's IMEI</label>
          <input
            id={id("imei")}
            class="mono"
            required
            inputMode="numeric"
            autoComplete="off"
            value={imei}
            onInput={(event) => setImei(event.currentTarget.value)}
          />
        </div>
      )}
      {asksOutcome && (
        <div class="field field--compact">
          <label for={id("outcome")}>Outcome</label>
          <input
            id={id("outcome")}
            maxLength={RmaLimits.diagnosisMax}
            value={outcome}
            onInput={(event) => setOutcome(event.currentTarget.value)}
          />
        </div>
      )}
      <div class="field field--compact">
        <label for={id("note")}>
          {needs.note ? "Reason (internal)" : "Note (internal, optional)"}
        </label>
        <input
          id={id("note")}
          required={needs.note}
          maxLength={RmaLimits.noteMax}
          value={note}
          onInput={(event) => setNote(event.currentTarget.value)}
        />
      </div>
      {problem !== null && (
        <p class="field__error" role="alert">
          {problem}
        </p>
      )}
      <div class="button-row">
        <button type="submit" class="button button--small" disabled={busy}>
          Move to {RMA_STATE_LABELS[to]}
        </button>
        <button type="button" class="button button--quiet button--small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The customer's own shipment to the desk: its courier and tracking number. */
function LegForm({
  busy,
  onSave,
}: {
  busy: boolean;
  onSave: (courier: string, trackingNumber: string) => Promise<boolean>;
}) {
  const [courier, setCourier] = useState("");
  const [tracking, setTracking] = useState("");
  return (
    <form
      class="rma-move"
      onSubmit={(event) => {
        event.preventDefault();
        void onSave(courier.trim(), tracking.trim());
      }}
    >
      <p class="rma-move__title">
        <strong>The customer's shipment to the desk</strong>
      </p>
      <div class="field field--compact">
        <label for="rma-leg-courier">Customer's courier</label>
        <input
          id="rma-leg-courier"
          required
          maxLength={RmaLimits.courierMax}
          value={courier}
          onInput={(event) => setCourier(event.currentTarget.value)}
        />
      </div>
      <div class="field field--compact">
        <label for="rma-leg-tracking">Customer's tracking number</label>
        <input
          id="rma-leg-tracking"
          class="mono"
          required
          maxLength={RmaLimits.trackingMax}
          value={tracking}
          onInput={(event) => setTracking(event.currentTarget.value)}
        />
      </div>
      <button type="submit" class="button button--secondary button--small" disabled={busy}>
        Record tracking
      </button>
    </form>
  );
}

/** The distributor's reference and the costs. */
function FactsForm({
  rma,
  busy,
  run,
}: {
  rma: RmaDto;
  busy: boolean;
  run: (work: () => Promise<RmaDto>) => Promise<boolean>;
}) {
  const [open, setOpen] = useState(false);
  const [reference, setReference] = useState(rma.distributorRef ?? "");
  const [currency, setCurrency] = useState(rma.costs.currency ?? "USD");
  const money = (minor: number | null) => (minor === null ? "" : (minor / 100).toFixed(2));
  const [distributorCost, setDistributorCost] = useState(money(rma.costs.distributorMinor));
  const [shippingCost, setShippingCost] = useState(money(rma.costs.shippingMinor));
  const [problem, setProblem] = useState<string | null>(null);
  if (!open) {
    return (
      <p>
        <button
          type="button"
          class="button button--quiet button--small"
          onClick={() => setOpen(true)}
        >
          Edit reference and costs
        </button>
      </p>
    );
  }
  const submit = (event: Event) => {
    event.preventDefault();
    const costs = [distributorCost, shippingCost].map((text) =>
      text.trim() === "" ? null : parseMoney(text),
    );
    if (
      costs.some((cost, i) => cost === null && [distributorCost, shippingCost][i].trim() !== "")
    ) {
      setProblem("Write amounts like 45.00");
      return;
    }
    setProblem(null);
    void run(() =>
      updateRma(rma.id, {
        distributorRef: reference.trim() === "" ? null : reference.trim(),
        costCurrency: costs.every((cost) => cost === null) ? null : currency.trim().toUpperCase(),
        distributorCostMinor: costs[0],
        shippingCostMinor: costs[1],
      }),
    ).then((saved) => saved && setOpen(false));
  };
  return (
    <form class="rma-move" onSubmit={submit}>
      <div class="field field--compact">
        <label for="rma-ref">Distributor's RMA reference</label>
        <input
          id="rma-ref"
          class="mono"
          maxLength={RmaLimits.distributorRefMax}
          value={reference}
          onInput={(event) => setReference(event.currentTarget.value)}
        />
      </div>
      <div class="field field--compact">
        <label for="rma-cost-currency">Cost currency</label>
        <input
          id="rma-cost-currency"
          maxLength={3}
          value={currency}
          onInput={(event) => setCurrency(event.currentTarget.value)}
        />
      </div>
      <div class="field field--compact">
        <label for="rma-cost-distributor">Distributor's charge</label>
        <input
          id="rma-cost-distributor"
          inputMode="decimal"
          value={distributorCost}
          onInput={(event) => setDistributorCost(event.currentTarget.value)}
        />
      </div>
      <div class="field field--compact">
        <label for="rma-cost-shipping">Shipping cost</label>
        <input
          id="rma-cost-shipping"
          inputMode="decimal"
          value={shippingCost}
          onInput={(event) => setShippingCost(event.currentTarget.value)}
        />
      </div>
      {problem !== null && (
        <p class="field__error" role="alert">
          {problem}
        </p>
      )}
      <div class="button-row">
        <button type="submit" class="button button--small" disabled={busy}>
          Save RMA details
        </button>
        <button
          type="button"
          class="button button--quiet button--small"
          onClick={() => setOpen(false)}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
