import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type {
  BulkCertificationBody,
  BulkCertificationResultDto,
  CarrierDto,
  CertificationDto,
  VariantDto,
} from "../../../../shared/contracts/http/catalog";
import type { UserDto } from "../../../../shared/contracts/http/tickets";
import {
  CALLING_STATUSES,
  CERTIFICATION_STATUSES,
  CatalogLimits,
} from "../../../../shared/domain/catalog";
import type { CallingStatus, CertificationStatus } from "../../../../shared/domain/catalog";
import { consoleHref } from "../../app/routes";
import {
  bulkCertification,
  carrierCertifications,
  getCarrier,
  listVariants,
} from "../../api/catalog";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";
import { usePageTitle } from "../../components/usePageTitle";
import { formatDay } from "../tickets/format";
import { VOLTE_CAPABILITY_LABELS, callingLabel, certificationStatusLabel } from "./labels";
import "./catalog.css";

interface Loaded {
  carrier: CarrierDto;
  variants: VariantDto[];
  certifications: Map<string, CertificationDto>;
}

interface Choice {
  status: CertificationStatus;
  volte: CallingStatus | "";
  wifiCalling: CallingStatus | "";
  reference: string;
  statusDate: string;
  tellCustomers: boolean;
  publicMessage: string;
}

const EMPTY_CHOICE: Choice = {
  status: "certified",
  volte: "",
  wifiCalling: "",
  reference: "",
  statusDate: "",
  tellCustomers: false,
  publicMessage: "",
};

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/**
 * A carrier's certification of every variant: status, VoLTE and Wi-Fi calling. Admins select
 * many variants and set them in one step, with an optional public update; a confirmation says
 * how many open tickets the change reaches before anything is written, then what was done.
 */
export function CertificationPage({ id, user }: { id: string; user: UserDto }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [filter, setFilter] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [choice, setChoice] = useState<Choice>(EMPTY_CHOICE);
  const [preview, setPreview] = useState<BulkCertificationResultDto | null>(null);
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<BulkCertificationResultDto | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const admin = user.role === "admin";
  usePageTitle(loaded === null ? "Certification" : `Certification with ${loaded.carrier.name}`);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      const [carrier, variants, certifications] = await Promise.all([
        getCarrier(id, signal),
        listVariants(signal),
        carrierCertifications(id, signal),
      ]);
      setLoaded({
        carrier,
        variants,
        certifications: new Map(certifications.map((c) => [c.variantId, c])),
      });
    },
    [id],
  );

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      () => heading.current?.focus(),
      (failure: unknown) => {
        if (!isAbortError(failure)) {
          setError(asApiError(failure));
        }
      },
    );
    return () => controller.abort();
  }, [load]);

  const shown = useMemo(() => {
    if (loaded === null) {
      return [];
    }
    const needle = filter.trim().toLowerCase();
    return loaded.variants.filter(
      (v) =>
        needle === "" ||
        [v.brand, v.model, v.name, v.region ?? "", v.operatorSku ?? ""].some((text) =>
          text.toLowerCase().includes(needle),
        ) ||
        `${v.brand} ${v.model}`.toLowerCase().includes(needle),
    );
  }, [loaded, filter]);

  if (loaded === null) {
    return (
      <div class="catalog">
        <p class="catalog__back">
          <a href={consoleHref({ view: "carriers" })}>← Carriers</a>
        </p>
        {error !== null ? (
          <ErrorMessage error={error} title="The certification could not load" />
        ) : (
          <p role="status">Loading…</p>
        )}
      </div>
    );
  }
  const { carrier } = loaded;

  const allShownSelected = shown.length > 0 && shown.every((v) => selected.has(v.id));
  const toggle = (variantId: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) {
        next.add(variantId);
      } else {
        next.delete(variantId);
      }
      return next;
    });
  const set = <K extends keyof Choice>(field: K, value: Choice[K]) =>
    setChoice((current) => ({ ...current, [field]: value }));

  const body = (dryRun: boolean): BulkCertificationBody => ({
    variantIds: loaded.variants.filter((v) => selected.has(v.id)).map((v) => v.id),
    status: choice.status,
    volte: choice.volte === "" ? undefined : choice.volte,
    wifiCalling: choice.wifiCalling === "" ? undefined : choice.wifiCalling,
    reference: choice.reference.trim() === "" ? undefined : choice.reference,
    statusDate: choice.statusDate === "" ? undefined : choice.statusDate,
    publicMessage:
      carrier.desk && choice.tellCustomers && choice.publicMessage.trim() !== ""
        ? choice.publicMessage
        : undefined,
    dryRun,
  });

  const review = () => {
    setBusy(true);
    setFormError(null);
    setOutcome(null);
    bulkCertification(carrier.id, body(true))
      .then(setPreview, (failure: unknown) => setFormError(asApiError(failure)))
      .finally(() => setBusy(false));
  };

  const apply = () => {
    setBusy(true);
    bulkCertification(carrier.id, body(false))
      .then(
        async (result) => {
          setPreview(null);
          setOutcome(result);
          setSelected(new Set());
          setChoice(EMPTY_CHOICE);
          await load();
        },
        (failure: unknown) => {
          setPreview(null);
          setFormError(asApiError(failure));
        },
      )
      .finally(() => setBusy(false));
  };

  return (
    <div class="catalog certification">
      <p class="catalog__back">
        <a href={consoleHref({ view: "carrier", id: carrier.id })}>← {carrier.name}</a>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        Certification with {carrier.name}
        {carrier.desk && <span class="badge badge--active desk-badge">Desk's carrier</span>}
      </h1>
      <p class="muted">
        {carrier.desk
          ? "Changes reach the open tickets of the variants changed: each gets one internal note, and the public update if you write one."
          : `Tickets follow the desk's carrier, so a change with ${carrier.name} is recorded and audited without telling any ticket.`}
      </p>
      {outcome !== null && <Outcome result={outcome} />}

      <section class="card" aria-labelledby="cert-table-title">
        <div class="catalog__heading">
          <h2 id="cert-table-title" class="card__title">
            Variants (
            {shown.length === loaded.variants.length
              ? loaded.variants.length
              : `${shown.length} of ${loaded.variants.length}`}
            )
          </h2>
          <div class="field field--compact certification__filter">
            <label for="cert-filter">Filter variants</label>
            <input
              id="cert-filter"
              type="search"
              value={filter}
              onInput={(event) => setFilter(event.currentTarget.value)}
            />
          </div>
        </div>
        <div class="table-wrap">
          <table class="table cert-table">
            <thead>
              <tr>
                {admin && (
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Select every variant shown"
                      checked={allShownSelected}
                      onChange={(event) => {
                        const on = event.currentTarget.checked;
                        setSelected((current) => {
                          const next = new Set(current);
                          for (const variant of shown) {
                            if (on) {
                              next.add(variant.id);
                            } else {
                              next.delete(variant.id);
                            }
                          }
                          return next;
                        });
                      }}
                    />
                  </th>
                )}
                <th scope="col">Variant</th>
                <th scope="col">Region</th>
                <th scope="col">VoLTE capable</th>
                <th scope="col">Status</th>
                <th scope="col">VoLTE</th>
                <th scope="col">Wi-Fi calling</th>
                <th scope="col">Reference</th>
                <th scope="col">Date</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((variant) => {
                const record = loaded.certifications.get(variant.id) ?? null;
                const checkboxId = `cert-select-${variant.id}`;
                return (
                  <tr
                    key={variant.id}
                    class={selected.has(variant.id) ? "cert-table__row--selected" : undefined}
                  >
                    {admin && (
                      <td>
                        <input
                          id={checkboxId}
                          type="checkbox"
                          checked={selected.has(variant.id)}
                          onChange={(event) => toggle(variant.id, event.currentTarget.checked)}
                        />
                      </td>
                    )}
                    <td dir="auto">
                      <label for={admin ? checkboxId : undefined} class="cert-table__variant">
                        {variant.brand} {variant.model}{" "}
                        <span class="cert-table__name">{variant.name}</span>
                      </label>{" "}
                      <a
                        class="cert-table__link"
                        href={consoleHref({ view: "model", id: variant.modelId })}
                        aria-label={`Open ${variant.brand} ${variant.model}`}
                      >
                        ↗
                      </a>
                    </td>
                    <td dir="auto">{variant.region ?? "—"}</td>
                    <td>{VOLTE_CAPABILITY_LABELS[variant.volteCapable]}</td>
                    <td>
                      <span class={`cert-status cert-status--${record?.status ?? "none"}`}>
                        {certificationStatusLabel(record?.status ?? null)}
                      </span>
                    </td>
                    <td>{callingLabel(record?.volte ?? null)}</td>
                    <td>{callingLabel(record?.wifiCalling ?? null)}</td>
                    <td dir="auto">{record?.reference ?? ""}</td>
                    <td>{record?.statusDate ? formatDay(record.statusDate) : ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {shown.length === 0 && <p class="empty">No variant matches “{filter}”.</p>}
      </section>

      {admin && (
        <section class="card bulk-form" aria-labelledby="bulk-title">
          <h2 id="bulk-title" class="card__title">
            Change the selected variants
          </h2>
          <p role="status" aria-live="polite">
            {selected.size === 0
              ? "Select the variants to change in the table."
              : `${plural(selected.size, "variant")} selected.`}
          </p>
          <form
            class="form-grid"
            onSubmit={(event) => {
              event.preventDefault();
              review();
            }}
          >
            <div class="field field--compact">
              <label for="bulk-status">Status</label>
              <select
                id="bulk-status"
                value={choice.status}
                onChange={(event) =>
                  set("status", event.currentTarget.value as CertificationStatus)
                }
              >
                {CERTIFICATION_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {certificationStatusLabel(status)}
                  </option>
                ))}
              </select>
            </div>
            <CallingSelect
              id="bulk-volte"
              label="VoLTE"
              value={choice.volte}
              onChange={(value) => set("volte", value)}
            />
            <CallingSelect
              id="bulk-wifi"
              label="Wi-Fi calling"
              value={choice.wifiCalling}
              onChange={(value) => set("wifiCalling", value)}
            />
            <div class="field field--compact">
              <label for="bulk-reference">Carrier's reference</label>
              <input
                id="bulk-reference"
                maxLength={CatalogLimits.referenceMax}
                value={choice.reference}
                placeholder="Keep as is"
                onInput={(event) => set("reference", event.currentTarget.value)}
              />
            </div>
            <div class="field field--compact">
              <label for="bulk-date">Decided on</label>
              <input
                id="bulk-date"
                type="date"
                value={choice.statusDate}
                onInput={(event) => set("statusDate", event.currentTarget.value)}
              />
            </div>
            {carrier.desk && (
              <div class="form-grid__full">
                <label class="checkbox">
                  <input
                    type="checkbox"
                    checked={choice.tellCustomers}
                    onChange={(event) => set("tellCustomers", event.currentTarget.checked)}
                  />
                  Also post a public update to each affected ticket
                </label>
              </div>
            )}
            {carrier.desk && choice.tellCustomers && (
              <div class="field field--compact form-grid__full">
                <label for="bulk-message">
                  Public update (the customers read and get it by email)
                </label>
                <textarea
                  id="bulk-message"
                  rows={4}
                  required
                  maxLength={CatalogLimits.bulkMessageMax}
                  value={choice.publicMessage}
                  onInput={(event) => set("publicMessage", event.currentTarget.value)}
                />
              </div>
            )}
            {formError !== null && (
              <div class="form-grid__full">
                <ErrorMessage error={formError} title="Nothing was changed" />
              </div>
            )}
            <div class="form-grid__full">
              <button type="submit" class="button" disabled={busy || selected.size === 0}>
                Review the change…
              </button>
            </div>
          </form>
        </section>
      )}
      <ConfirmDialog
        preview={preview}
        carrier={carrier}
        choice={choice}
        busy={busy}
        onCancel={() => setPreview(null)}
        onConfirm={apply}
      />
    </div>
  );
}

function CallingSelect({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: CallingStatus | "";
  onChange: (value: CallingStatus | "") => void;
}) {
  return (
    <div class="field field--compact">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value as CallingStatus | "")}
      >
        <option value="">Keep as is</option>
        {CALLING_STATUSES.map((status) => (
          <option key={status} value={status}>
            {callingLabel(status)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The counts of the dry run, in a modal: nothing is written until the admin confirms. */
function ConfirmDialog({
  preview,
  carrier,
  choice,
  busy,
  onCancel,
  onConfirm,
}: {
  preview: BulkCertificationResultDto | null;
  carrier: CarrierDto;
  choice: Choice;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element === null) {
      return;
    }
    if (preview !== null && !element.open) {
      element.showModal();
    } else if (preview === null && element.open) {
      element.close();
    }
  }, [preview]);

  const what = [
    `status ${certificationStatusLabel(choice.status).toLowerCase()}`,
    choice.volte !== "" && `VoLTE ${callingLabel(choice.volte).toLowerCase()}`,
    choice.wifiCalling !== "" && `Wi-Fi calling ${callingLabel(choice.wifiCalling).toLowerCase()}`,
  ]
    .filter((part) => part !== false)
    .join(", ");

  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby="bulk-confirm-title"
      aria-describedby="bulk-confirm-summary"
      onClose={onCancel}
    >
      {preview !== null && (
        <div class="dialog__body">
          <h2 id="bulk-confirm-title">Change {plural(preview.variants, "variant")}?</h2>
          <div id="bulk-confirm-summary">
            <p>
              With {carrier.name}: {what}.{" "}
              {preview.unchanged > 0 &&
                `${plural(preview.unchanged, "variant is", "variants are")} already so and stay as they are.`}
            </p>
            <p class="bulk-confirm__tickets">
              {!preview.deskCarrier
                ? `${carrier.name} is not the desk's carrier: no ticket is told.`
                : preview.tickets === 0
                  ? "No open ticket is affected."
                  : `${plural(preview.tickets, "open ticket is", "open tickets are")} affected: each gets one internal note${
                      choice.tellCustomers && choice.publicMessage.trim() !== ""
                        ? " and one public update"
                        : ""
                    }.`}
            </p>
          </div>
          <div class="button-row">
            <button
              type="button"
              class="button"
              disabled={busy || preview.changed === 0}
              onClick={onConfirm}
            >
              {preview.changed === 0
                ? "Nothing to change"
                : `Change ${plural(preview.changed, "variant")}`}
            </button>
            <button type="button" class="button button--secondary" autoFocus onClick={onCancel}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}

function Outcome({ result }: { result: BulkCertificationResultDto }) {
  return (
    <div class="alert alert--success" role="status">
      <p class="alert__title">
        {result.changed === 0
          ? "Nothing changed: every variant was already so."
          : `${plural(result.changed, "variant")} changed${
              result.unchanged > 0 ? `, ${result.unchanged} already so` : ""
            }.`}
      </p>
      <p>
        {plural(result.notes, "ticket")} got an internal note
        {result.publicMessages > 0 && `, ${plural(result.publicMessages, "public update")} posted`}.
      </p>
    </div>
  );
}
