import { useState } from "preact/hooks";
import type { HandsetDto } from "../../../../shared/contracts/http/tickets";
import { VOID_REASONS, WARRANTY_SOURCES } from "../../../../shared/domain/enums";
import type { VoidReason, WarrantySource } from "../../../../shared/domain/enums";
import { maskImei } from "../../../../shared/domain/imei";
import { Limits } from "../../../../shared/domain/limits";
import { updateHandset } from "../../api/handsets";
import type { HandsetChange } from "../../api/handsets";
import { asApiError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { WarrantyBadge } from "../../components/Badges";
import { ErrorMessage } from "../../components/ErrorMessage";
import { deviceName, formatDay } from "../tickets/format";
import { VOID_REASON_OPTION_LABELS, WARRANTY_SOURCE_LABELS } from "../tickets/labels";

/**
 * The handset: identifiers (IMEIs masked until "Show" is pressed), brand and model, the warranty
 * source and dates, the decision as a badge with its sentence, and a form to change them.
 */
export function HandsetPanel({
  handset,
  onSaved,
}: {
  handset: HandsetDto | null;
  onSaved: (handset: HandsetDto) => void;
}) {
  const [revealed, setRevealed] = useState(false);
  const [editing, setEditing] = useState(false);

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
