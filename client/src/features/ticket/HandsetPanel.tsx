import { useEffect, useState } from "preact/hooks";
import type { HandsetDto } from "../../../../shared/contracts/http/tickets";
import {
  CALLING_STATUS_LABELS,
  CERTIFICATION_STATUS_LABELS,
} from "../../../../shared/domain/catalog";
import { VOID_REASONS, WARRANTY_SOURCES } from "../../../../shared/domain/enums";
import type { TicketFlag, VoidReason, WarrantySource } from "../../../../shared/domain/enums";
import { maskImei } from "../../../../shared/domain/imei";
import { Limits } from "../../../../shared/domain/limits";
import { fetchTicketNetwork, updateHandset } from "../../api/handsets";
import type { HandsetChange, TicketNetwork } from "../../api/handsets";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { WarrantyBadge } from "../../components/Badges";
import { ErrorMessage } from "../../components/ErrorMessage";
import { deviceName, formatDay } from "../tickets/format";
import {
  FLAG_LABELS,
  TAC_SOURCE_LABELS,
  VERDICT_LEVEL_LABELS,
  VOID_REASON_OPTION_LABELS,
  WARRANTY_SOURCE_LABELS,
} from "../tickets/labels";

/**
 * The handset: identifiers (IMEIs masked until "Show" is pressed), the catalogue's model and the
 * variant with a picker of the variants its TAC could be (each with how to tell it apart), the
 * network verdict on the desk's carrier now and when the ticket was opened (each reason as
 * given), certification, the batch and distributor, the ticket's flags, and the warranty with
 * a form to change it. The network part is refetched whenever the ticket is (`revision`: any
 * change announced for it, on any console), so a variant set elsewhere shows here at once.
 */
export function HandsetPanel({
  ticketId,
  flags,
  handset,
  revision,
  onSaved,
}: {
  ticketId: string;
  flags: readonly TicketFlag[];
  handset: HandsetDto | null;
  revision: number;
  onSaved: (handset: HandsetDto) => void;
}) {
  const [revealed, setRevealed] = useState(false);
  const [editing, setEditing] = useState(false);
  const network = useTicketNetwork(ticketId, revision, handset?.updatedAt ?? null);

  if (handset === null) {
    return (
      <section class="card handset" aria-labelledby="handset-title">
        <h2 id="handset-title" class="card__title">
          Handset
        </h2>
        <p class="muted">No handset is recorded on this ticket.</p>
      </section>
    );
  }

  const device = deviceName(handset);
  const identifiers = [...handset.identifiers].sort((a, b) =>
    a.kind === b.kind ? (a.slot ?? 99) - (b.slot ?? 99) : a.kind === "imei" ? -1 : 1,
  );
  const hasImei = identifiers.some((identifier) => identifier.kind === "imei");

  return (
    <section class="card handset" aria-labelledby="handset-title">
      <h2 id="handset-title" class="card__title">
        Handset
      </h2>
      <p class="handset__device" dir="auto">
        {device === "" ? <span class="muted">Brand and model unknown</span> : device}
      </p>
      <dl class="identifiers">
        {identifiers.map((identifier) => (
          <div key={`${identifier.kind}:${identifier.value}`}>
            <dt>
              {identifier.kind === "imei" ? "IMEI" : "Serial"}
              {identifier.slot !== null &&
              identifiers.filter((i) => i.kind === identifier.kind).length > 1
                ? ` (slot ${identifier.slot})`
                : ""}
            </dt>
            <dd class="mono" data-testid={identifier.kind === "imei" ? "imei" : undefined}>
              {identifier.kind === "imei" && !revealed
                ? maskImei(identifier.value)
                : identifier.value}
            </dd>
          </div>
        ))}
      </dl>
      {hasImei && (
        <button
          type="button"
          class="button button--quiet"
          aria-pressed={revealed}
          onClick={() => setRevealed((value) => !value)}
        >
          {revealed ? "Hide IMEI" : "Show IMEI"}
        </button>
      )}

      {network.error !== null && (
        <ErrorMessage error={network.error} title="The network verdict could not be loaded" />
      )}
      {network.data === null && network.error === null && (
        <p class="muted" role="status">
          Loading the network verdict…
        </p>
      )}
      {network.data !== null && network.data.handset !== null && (
        <NetworkFacts
          network={network.data}
          facts={network.data.handset}
          handsetId={handset.id}
          onSaved={onSaved}
        />
      )}

      <h3 class="handset__subtitle" id="handset-flags-title">
        Flags
      </h3>
      {flags.length === 0 ? (
        <p class="muted" data-testid="handset-flags">
          None: nothing to check on this handset.
        </p>
      ) : (
        <ul
          class="handset__flags"
          aria-labelledby="handset-flags-title"
          data-testid="handset-flags"
        >
          {flags.map((flag) => (
            <li key={flag} data-flag={flag}>
              {FLAG_LABELS[flag]}
            </li>
          ))}
        </ul>
      )}

      <h3 class="handset__subtitle">Warranty</h3>
      <p class="warranty-decision">
        <WarrantyBadge warranty={handset.warranty} withSummary />
      </p>
      <dl class="facts facts--compact">
        <div>
          <dt>Source</dt>
          <dd>{WARRANTY_SOURCE_LABELS[handset.warrantySource]}</dd>
        </div>
        <Fact label="Starts" value={handset.warrantyStart} />
        <Fact label="Ends" value={handset.warrantyEnd} />
        <Fact label="DOA deadline" value={handset.doaDeadline} />
        <Fact label="Purchased" value={handset.purchaseDate} />
        <div>
          <dt>Void reason</dt>
          <dd>
            {handset.voidReason === null ? (
              <span class="muted">None</span>
            ) : (
              VOID_REASON_OPTION_LABELS[handset.voidReason]
            )}
          </dd>
        </div>
      </dl>
      {editing ? (
        <HandsetForm
          handset={handset}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            onSaved(saved);
          }}
        />
      ) : (
        <button
          type="button"
          class="button button--secondary"
          aria-expanded={false}
          onClick={() => setEditing(true)}
        >
          Change warranty or handset
        </button>
      )}
    </section>
  );
}

/** The ticket's network view, refetched when the ticket or its handset changes. */
function useTicketNetwork(
  ticketId: string,
  revision: number,
  handsetVersion: string | null,
): { data: TicketNetwork | null; error: ApiError | null } {
  const [data, setData] = useState<TicketNetwork | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setData(null);
  }, [ticketId]);
  useEffect(() => {
    const controller = new AbortController();
    fetchTicketNetwork(ticketId, controller.signal).then(
      (loaded) => {
        setError(null);
        setData(loaded);
      },
      (failure: unknown) => {
        if (!controller.signal.aborted && !isAbortError(failure)) {
          setError(asApiError(failure));
        }
      },
    );
    return () => controller.abort();
  }, [ticketId, revision, handsetVersion]);
  return { data, error };
}

type NetworkHandset = NonNullable<TicketNetwork["handset"]>;
type Verdict = NonNullable<TicketNetwork["now"]>;

function NetworkFacts({
  network,
  facts,
  handsetId,
  onSaved,
}: {
  network: TicketNetwork;
  facts: NetworkHandset;
  handsetId: string;
  onSaved: (handset: HandsetDto) => void;
}) {
  const certification = network.now?.certification ?? null;
  const carrier = network.now?.carrier.name ?? network.atOpen?.carrier.name ?? null;
  return (
    <>
      <h3 class="handset__subtitle">Model and variant</h3>
      <dl class="facts facts--compact">
        <div>
          <dt>Model</dt>
          <dd dir="auto" data-testid="handset-model">
            {facts.model === null ? (
              <span class="muted">Not in the catalogue</span>
            ) : (
              `${facts.model.brand} ${facts.model.name}`
            )}
          </dd>
        </div>
        <div>
          <dt>Variant</dt>
          <dd dir="auto" data-testid="handset-variant">
            {facts.variant === null ? (
              <span class="muted">Not known</span>
            ) : (
              variantLabel(facts.variant)
            )}
          </dd>
        </div>
        <div class="facts__wide">
          <dt>TAC</dt>
          <dd>
            {facts.tac === null ? (
              <span class="muted">Not in the catalogue</span>
            ) : (
              <>
                <span class="mono">{facts.tac.tac}</span> {facts.tac.brand} {facts.tac.model}
                <span class="muted"> ({TAC_SOURCE_LABELS[facts.tac.source]})</span>
              </>
            )}
          </dd>
        </div>
      </dl>
      {facts.candidates.length > 0 ? (
        <VariantPicker facts={facts} handsetId={handsetId} onSaved={onSaved} />
      ) : (
        <p class="muted">
          No variants to pick from: the catalogue has{" "}
          {facts.model === null ? "no model for this TAC yet" : "no variants of this model yet"}.
        </p>
      )}

      <h3 class="handset__subtitle">Network{carrier === null ? "" : ` on ${carrier}`}</h3>
      <div class="verdicts">
        <VerdictBlock
          title="Now"
          testId="verdict-now"
          verdict={network.now}
          empty={
            facts.variant === null
              ? "Unknown until the variant is set: pick it above."
              : "No verdict: the desk has no carrier set."
          }
        />
        <VerdictBlock
          title="When the ticket was opened"
          testId="verdict-at-open"
          verdict={network.atOpen}
          empty="Not judged: the variant was not known when the ticket was opened."
        />
        {network.changed && (
          <p class="verdicts__changed" role="note">
            The verdict has changed since the ticket was opened.
          </p>
        )}
      </div>

      <h3 class="handset__subtitle">Certification</h3>
      {certification === null ? (
        <p class="muted" data-testid="certification">
          {network.now === null
            ? "Not known until the variant is set."
            : `No certification recorded with ${network.now.carrier.name}.`}
        </p>
      ) : (
        <dl class="facts facts--compact" data-testid="certification">
          <div>
            <dt>Status</dt>
            <dd>{capitalised(CERTIFICATION_STATUS_LABELS[certification.status])}</dd>
          </div>
          <div>
            <dt>VoLTE</dt>
            <dd>{capitalised(CALLING_STATUS_LABELS[certification.volte])}</dd>
          </div>
          <div>
            <dt>Wi-Fi calling</dt>
            <dd>{capitalised(CALLING_STATUS_LABELS[certification.wifiCalling])}</dd>
          </div>
          <div>
            <dt>Reference</dt>
            <dd>
              {certification.reference ?? <span class="muted">None</span>}
              {certification.date !== null && ` (${formatDay(certification.date)})`}
            </dd>
          </div>
        </dl>
      )}

      <h3 class="handset__subtitle">Batch and distributor</h3>
      {facts.batch === null ? (
        <p class="muted">Not from an import batch on record.</p>
      ) : (
        <dl class="facts facts--compact" data-testid="batch">
          <div>
            <dt>Batch</dt>
            <dd class="mono">{facts.batch.reference}</dd>
          </div>
          <div>
            <dt>Distributor</dt>
            <dd dir="auto">
              {facts.batch.distributor === null ? (
                <span class="muted">Not recorded</span>
              ) : (
                `${facts.batch.distributor.name}${facts.batch.distributor.country ? ` (${facts.batch.distributor.country})` : ""}`
              )}
            </dd>
          </div>
          <div>
            <dt>ROM region</dt>
            <dd>{facts.batch.romRegion ?? <span class="muted">Not recorded</span>}</dd>
          </div>
          <Fact label="Shipped" value={facts.batch.shippedOn} />
          <Fact label="Received" value={facts.batch.receivedOn} />
          {facts.batch.customsReference !== null && (
            <div>
              <dt>Customs reference</dt>
              <dd class="mono">{facts.batch.customsReference}</dd>
            </div>
          )}
        </dl>
      )}
    </>
  );
}

function VerdictBlock({
  title,
  testId,
  verdict,
  empty,
}: {
  title: string;
  testId: string;
  verdict: Verdict | null;
  empty: string;
}) {
  return (
    <div class="verdict" data-testid={testId} data-level={verdict?.level ?? "none-yet"}>
      <h4 class="verdict__title">
        {title}
        {verdict !== null && <span class="muted"> · {formatDay(verdict.date)}</span>}
      </h4>
      {verdict === null ? (
        <p class="muted">{empty}</p>
      ) : (
        <>
          <p class="verdict__level">
            <span class={`badge badge--verdict-${verdict.level}`}>
              {VERDICT_LEVEL_LABELS[verdict.level]}
            </span>
            <span class="muted" dir="auto">
              {" "}
              {verdict.variant.name}
            </span>
          </p>
          <p class="verdict__summary">{verdict.summary}</p>
          {verdict.reasons.length > 0 && (
            <ul class="verdict__reasons" aria-label={`Reasons (${title.toLowerCase()})`}>
              {verdict.reasons.map((reason, index) => (
                <li key={`${reason.code}-${index}`} data-code={reason.code}>
                  {reason.message}
                </li>
              ))}
            </ul>
          )}
          {verdict.source.bands !== null && (
            <p class="verdict__source muted">
              Bands from {verdict.source.bands}
              {verdict.source.confidence !== null && ` (${verdict.source.confidence} confidence)`}
            </p>
          )}
        </>
      )}
    </div>
  );
}

/** The variant picker: the model's variants, each with how to tell it apart and its verdict. */
function VariantPicker({
  facts,
  handsetId,
  onSaved,
}: {
  facts: NetworkHandset;
  handsetId: string;
  onSaved: (handset: HandsetDto) => void;
}) {
  const current = facts.variant?.id ?? "";
  const [chosen, setChosen] = useState(current);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => setChosen(current), [current]);
  const pick = facts.candidates.find((candidate) => candidate.id === chosen) ?? null;

  const save = () => {
    setSaving(true);
    setError(null);
    updateHandset(handsetId, { variantId: chosen === "" ? null : chosen })
      .then(onSaved, (failure: unknown) => setError(asApiError(failure)))
      .finally(() => setSaving(false));
  };

  return (
    <form
      class="variant-picker"
      aria-label="Set the variant"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <div class="variant-picker__row">
        <div class="field field--compact">
          <label for="handset-variant-pick">Variant (from the box or Settings)</label>
          <select
            id="handset-variant-pick"
            value={chosen}
            aria-describedby="handset-variant-how"
            onChange={(event) => setChosen(event.currentTarget.value)}
          >
            <option value="">Not known</option>
            {facts.candidates.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {variantLabel(candidate)}
                {candidate.verdict !== null
                  ? ` · ${VERDICT_LEVEL_LABELS[candidate.verdict.level]}`
                  : ""}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button" disabled={saving || chosen === current}>
          {saving ? "Saving…" : "Set variant"}
        </button>
      </div>
      <p id="handset-variant-how" class="variant-picker__how">
        {pick === null
          ? "Pick the variant the box label or Settings > About phone shows."
          : (pick.howToTell ?? "Nobody has written down yet how to tell this variant apart.")}
      </p>
      <details class="variant-picker__all">
        <summary>How to tell the {facts.candidates.length} variants apart</summary>
        <dl class="variant-list">
          {facts.candidates.map((candidate) => (
            <div key={candidate.id}>
              <dt dir="auto">
                {variantLabel(candidate)}
                {candidate.verdict !== null && (
                  <span class={`badge badge--verdict-${candidate.verdict.level}`}>
                    {VERDICT_LEVEL_LABELS[candidate.verdict.level]}
                  </span>
                )}
              </dt>
              <dd dir="auto">
                {candidate.howToTell ?? <span class="muted">No telling sign written down.</span>}
                {candidate.notes !== null && <span class="muted"> {candidate.notes}</span>}
              </dd>
            </div>
          ))}
        </dl>
      </details>
      {error !== null && <ErrorMessage error={error} title="The variant was not changed" />}
    </form>
  );
}

function variantLabel(variant: {
  name: string;
  region: string | null;
  operatorSku: string | null;
}) {
  const extra = [variant.region, variant.operatorSku].filter(
    (part): part is string => part !== null && part !== "" && !variant.name.includes(part),
  );
  return extra.length === 0 ? variant.name : `${variant.name} (${extra.join(", ")})`;
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function Fact({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value === null ? <span class="muted">Not recorded</span> : formatDay(value)}</dd>
    </div>
  );
}

interface FormValues {
  warrantySource: WarrantySource;
  warrantyStart: string;
  warrantyEnd: string;
  doaDeadline: string;
  voidReason: VoidReason | "";
  purchaseDate: string;
  brand: string;
  model: string;
}

function valuesOf(handset: HandsetDto): FormValues {
  return {
    warrantySource: handset.warrantySource,
    warrantyStart: handset.warrantyStart ?? "",
    warrantyEnd: handset.warrantyEnd ?? "",
    doaDeadline: handset.doaDeadline ?? "",
    voidReason: handset.voidReason ?? "",
    purchaseDate: handset.purchaseDate ?? "",
    brand: handset.brand ?? "",
    model: handset.model ?? "",
  };
}

/** Only what the agent changed; an emptied field becomes `null` (cleared). */
function changesOf(before: FormValues, after: FormValues): HandsetChange {
  const change: HandsetChange = {};
  if (after.warrantySource !== before.warrantySource) {
    change.warrantySource = after.warrantySource;
  }
  if (after.voidReason !== before.voidReason) {
    change.voidReason = after.voidReason === "" ? null : after.voidReason;
  }
  for (const field of [
    "warrantyStart",
    "warrantyEnd",
    "doaDeadline",
    "purchaseDate",
    "brand",
    "model",
  ] as const) {
    const value = after[field].trim();
    if (value !== before[field]) {
      change[field] = value === "" ? null : value;
    }
  }
  return change;
}

function HandsetForm({
  handset,
  onCancel,
  onSaved,
}: {
  handset: HandsetDto;
  onCancel: () => void;
  onSaved: (handset: HandsetDto) => void;
}) {
  const initial = valuesOf(handset);
  const [values, setValues] = useState<FormValues>(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const set = <K extends keyof FormValues>(field: K, value: FormValues[K]) =>
    setValues((current) => ({ ...current, [field]: value }));

  const submit = () => {
    const change = changesOf(initial, values);
    if (Object.keys(change).length === 0) {
      onCancel();
      return;
    }
    setSaving(true);
    setError(null);
    updateHandset(handset.id, change)
      .then(onSaved, (failure: unknown) => setError(asApiError(failure)))
      .finally(() => setSaving(false));
  };

  const fieldError = (path: string) => error?.detailFor(path);
  const dateField = (
    field: "warrantyStart" | "warrantyEnd" | "doaDeadline" | "purchaseDate",
    label: string,
  ) => {
    const id = `handset-${field}`;
    const message = fieldError(field);
    return (
      <div class="field field--compact">
        <label for={id}>{label}</label>
        <input
          id={id}
          type="date"
          value={values[field]}
          aria-invalid={message !== undefined}
          aria-describedby={message !== undefined ? `${id}-error` : undefined}
          onInput={(event) => set(field, event.currentTarget.value)}
        />
        {message !== undefined && (
          <p id={`${id}-error`} class="field__error">
            {message}
          </p>
        )}
      </div>
    );
  };

  return (
    <form
      class="handset-form"
      aria-label="Change warranty or handset"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div class="field field--compact">
        <label for="handset-source">Warranty source</label>
        <select
          id="handset-source"
          value={values.warrantySource}
          onChange={(event) => set("warrantySource", event.currentTarget.value as WarrantySource)}
        >
          {WARRANTY_SOURCES.map((source) => (
            <option key={source} value={source}>
              {WARRANTY_SOURCE_LABELS[source]}
            </option>
          ))}
        </select>
      </div>
      <div class="form-grid">
        {dateField("warrantyStart", "Warranty starts")}
        {dateField("warrantyEnd", "Warranty ends")}
        {dateField("doaDeadline", "DOA deadline")}
        {dateField("purchaseDate", "Purchase date")}
      </div>
      <div class="field field--compact">
        <label for="handset-void">Void reason</label>
        <select
          id="handset-void"
          value={values.voidReason}
          onChange={(event) => set("voidReason", event.currentTarget.value as VoidReason | "")}
        >
          <option value="">Not voided</option>
          {VOID_REASONS.map((reason) => (
            <option key={reason} value={reason}>
              {VOID_REASON_OPTION_LABELS[reason]}
            </option>
          ))}
        </select>
      </div>
      <div class="form-grid">
        <div class="field field--compact">
          <label for="handset-brand">Brand</label>
          <input
            id="handset-brand"
            value={values.brand}
            dir="auto"
            maxLength={Limits.brandMax}
            onInput={(event) => set("brand", event.currentTarget.value)}
          />
        </div>
        <div class="field field--compact">
          <label for="handset-model">Model</label>
          <input
            id="handset-model"
            value={values.model}
            dir="auto"
            maxLength={Limits.modelMax}
            onInput={(event) => set("model", event.currentTarget.value)}
          />
        </div>
      </div>
      {error !== null && <ErrorMessage error={error} title="The handset was not changed" />}
      <div class="button-row">
        <button type="submit" class="button" disabled={saving}>
          {saving ? "Saving…" : "Save changes"}
        </button>
        <button type="button" class="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
