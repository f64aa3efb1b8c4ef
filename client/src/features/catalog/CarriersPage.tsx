import { useEffect, useRef, useState } from "preact/hooks";
import type { CarrierBandDto, CarrierDto } from "../../../../shared/contracts/http/catalog";
import type { UserDto } from "../../../../shared/contracts/http/tickets";
import { BAND_ROLES, TECHNOLOGIES, isValidBand } from "../../../../shared/domain/bands";
import type { BandRole, Technology } from "../../../../shared/domain/bands";
import { CatalogLimits } from "../../../../shared/domain/catalog";
import { consoleHref } from "../../app/routes";
import {
  addCarrierBand,
  deleteCarrierBand,
  getCarrier,
  listCarriers,
  updateCarrierBand,
} from "../../api/catalog";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";
import { FormFooter } from "../../components/FormFooter";
import { usePageTitle } from "../../components/usePageTitle";
import { formatDay } from "../tickets/format";
import { bandText, roleLabel, technologyLabel } from "./labels";
import "./catalog.css";

/** The carriers, the desk's own marked, with links to each band profile and certification. */
export function CarriersPage() {
  usePageTitle("Carriers");
  const [carriers, setCarriers] = useState<CarrierDto[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
    const controller = new AbortController();
    listCarriers(controller.signal).then(setCarriers, (failure: unknown) => {
      if (!isAbortError(failure)) {
        setError(asApiError(failure));
      }
    });
    return () => controller.abort();
  }, []);

  return (
    <div class="catalog">
      <div class="catalog__heading">
        <h1 ref={heading} tabIndex={-1}>
          Carriers
        </h1>
        <a class="button button--secondary button--small" href={consoleHref({ view: "catalog" })}>
          Device catalogue
        </a>
      </div>
      <p class="muted">
        Each carrier's bands with the dates they came and went, and where each variant stands with
        its certification. Verdicts on tickets use the desk's carrier.
      </p>
      {error !== null && <ErrorMessage error={error} title="The carriers could not load" />}
      {carriers === null ? (
        error === null && <p role="status">Loading…</p>
      ) : (
        <div class="table-wrap card">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Carrier</th>
                <th scope="col">Country</th>
                <th scope="col" class="table__number">
                  Band rows
                </th>
                <th scope="col">Certification</th>
              </tr>
            </thead>
            <tbody>
              {carriers.map((carrier) => (
                <tr key={carrier.id}>
                  <td>
                    <a href={consoleHref({ view: "carrier", id: carrier.id })}>{carrier.name}</a>
                    {carrier.desk && <span class="badge badge--active desk-badge">Desk</span>}
                  </td>
                  <td>{carrier.country}</td>
                  <td class="table__number">{carrier.bands.length}</td>
                  <td>
                    <a href={consoleHref({ view: "certification", id: carrier.id })}>
                      Certification with {carrier.name}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/**
 * A carrier's band profile: its dated rows (technology, band, role, from, until, whether it
 * needs VoLTE, a note), newest technologies first; admins add, change and remove rows.
 */
export function CarrierPage({ id, user }: { id: string; user: UserDto }) {
  const [carrier, setCarrier] = useState<CarrierDto | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  const admin = user.role === "admin";
  usePageTitle(carrier === null ? "Carrier" : `${carrier.name}: band profile`);

  useEffect(() => {
    const controller = new AbortController();
    getCarrier(id, controller.signal).then(
      (loaded) => {
        setCarrier(loaded);
        heading.current?.focus();
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) {
          setError(asApiError(failure));
        }
      },
    );
    return () => controller.abort();
  }, [id]);

  const updated = (next: CarrierDto, message: string) => {
    setCarrier(next);
    setNotice(message);
  };

  return (
    <div class="catalog">
      <p class="catalog__back">
        <a href={consoleHref({ view: "carriers" })}>← Carriers</a>
      </p>
      {carrier === null ? (
        error !== null ? (
          <ErrorMessage error={error} title="The carrier could not load" />
        ) : (
          <p role="status">Loading…</p>
        )
      ) : (
        <>
          <div class="catalog__heading">
            <h1 ref={heading} tabIndex={-1}>
              {carrier.name}
              {carrier.desk && <span class="badge badge--active desk-badge">Desk's carrier</span>}
            </h1>
            <a
              class="button button--secondary button--small"
              href={consoleHref({ view: "certification", id: carrier.id })}
            >
              Certification
            </a>
          </div>
          {carrier.notes !== null && (
            <p class="muted" dir="auto">
              {carrier.notes}
            </p>
          )}
          <p class="visually-hidden" role="status" aria-live="polite">
            {notice}
          </p>
          {error !== null && <ErrorMessage error={error} />}
          <section class="card" aria-labelledby="bands-title">
            <h2 id="bands-title" class="card__title">
              Band profile ({carrier.bands.length} rows)
            </h2>
            <div class="table-wrap">
              <table class="table band-rows">
                <thead>
                  <tr>
                    <th scope="col">Technology</th>
                    <th scope="col">Band</th>
                    <th scope="col">Role</th>
                    <th scope="col">From</th>
                    <th scope="col">Until</th>
                    <th scope="col">Requires VoLTE</th>
                    <th scope="col">Note</th>
                    {admin && (
                      <th scope="col">
                        <span class="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {carrier.bands.map((band) => (
                    <BandRow
                      key={band.id}
                      carrierId={carrier.id}
                      band={band}
                      admin={admin}
                      onChanged={updated}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          {admin && <AddBandForm carrierId={carrier.id} onAdded={updated} />}
        </>
      )}
    </div>
  );
}

function BandRow({
  carrierId,
  band,
  admin,
  onChanged,
}: {
  carrierId: string;
  band: CarrierBandDto;
  admin: boolean;
  onChanged: (carrier: CarrierDto, message: string) => void;
}) {
  const [mode, setMode] = useState<"view" | "edit" | "delete">("view");
  const [role, setRole] = useState<BandRole>(band.role);
  const [fromDate, setFromDate] = useState(band.fromDate ?? "");
  const [untilDate, setUntilDate] = useState(band.untilDate ?? "");
  const [requiresVolte, setRequiresVolte] = useState(band.requiresVolte);
  const [note, setNote] = useState(band.note ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const label = `${technologyLabel(band.technology)} ${bandText(band.technology, band.band)}`;
  const rowId = `band-${band.id}`;
  const columns = admin ? 8 : 7;

  const run = (work: Promise<CarrierDto>, message: string) => {
    setBusy(true);
    setError(null);
    work
      .then(
        (carrier) => {
          setMode("view");
          onChanged(carrier, message);
        },
        (failure: unknown) => setError(asApiError(failure)),
      )
      .finally(() => setBusy(false));
  };

  return (
    <>
      <tr class={band.untilDate !== null ? "band-rows__retired" : undefined}>
        <td>{technologyLabel(band.technology)}</td>
        <td>{bandText(band.technology, band.band)}</td>
        <td>{roleLabel(band.role)}</td>
        <td>{band.fromDate === null ? "Always" : formatDay(band.fromDate)}</td>
        <td>{band.untilDate === null ? "Open" : formatDay(band.untilDate)}</td>
        <td>{band.requiresVolte ? "Yes" : "No"}</td>
        <td dir="auto">{band.note ?? ""}</td>
        {admin && (
          <td class="table__actions">
            <button
              type="button"
              class="button button--secondary button--small"
              aria-label={`Edit ${label}`}
              aria-expanded={mode === "edit"}
              onClick={() => setMode(mode === "edit" ? "view" : "edit")}
            >
              Edit
            </button>{" "}
            <button
              type="button"
              class="button button--secondary button--small"
              aria-label={`Delete ${label}`}
              onClick={() => setMode(mode === "delete" ? "view" : "delete")}
            >
              Delete
            </button>
          </td>
        )}
      </tr>
      {mode === "delete" && (
        <tr id={`${rowId}-delete`}>
          <td colSpan={columns}>
            <div class="inline-form">
              <p>
                Delete the row {label}? Only for a row entered by mistake: a network that is retired
                keeps its row with an “until” date.
              </p>
              <div class="button-row">
                <button
                  type="button"
                  class="button button--small button--danger"
                  disabled={busy}
                  onClick={() =>
                    run(
                      deleteCarrierBand(carrierId, band.id).then(() => getCarrier(carrierId)),
                      `${label} is deleted.`,
                    )
                  }
                >
                  Delete {label}
                </button>
                <button
                  type="button"
                  class="button button--secondary button--small"
                  onClick={() => setMode("view")}
                >
                  Keep it
                </button>
              </div>
            </div>
            {error !== null && <ErrorMessage error={error} title="The row was not deleted" />}
          </td>
        </tr>
      )}
      {mode === "edit" && (
        <tr id={`${rowId}-edit`}>
          <td colSpan={columns}>
            <form
              class="inline-form"
              onSubmit={(event) => {
                event.preventDefault();
                run(
                  updateCarrierBand(carrierId, band.id, {
                    role,
                    fromDate: fromDate === "" ? null : fromDate,
                    untilDate: untilDate === "" ? null : untilDate,
                    requiresVolte,
                    note,
                  }),
                  `${label} is saved.`,
                );
              }}
            >
              <RoleSelect id={`${rowId}-role`} value={role} onChange={setRole} />
              <DateField
                id={`${rowId}-from`}
                label="From"
                value={fromDate}
                onChange={setFromDate}
              />
              <DateField
                id={`${rowId}-until`}
                label="Until (retired on)"
                value={untilDate}
                onChange={setUntilDate}
                error={error?.detailFor("untilDate")}
              />
              <label class="checkbox">
                <input
                  type="checkbox"
                  checked={requiresVolte}
                  onChange={(event) => setRequiresVolte(event.currentTarget.checked)}
                />
                Requires VoLTE
              </label>
              <div class="field field--compact">
                <label for={`${rowId}-note`}>Note</label>
                <input
                  id={`${rowId}-note`}
                  maxLength={CatalogLimits.sourceMax}
                  value={note}
                  onInput={(event) => setNote(event.currentTarget.value)}
                />
              </div>
              <div class="button-row">
                <button type="submit" class="button button--small" disabled={busy}>
                  Save {label}
                </button>
                <button
                  type="button"
                  class="button button--secondary button--small"
                  onClick={() => setMode("view")}
                >
                  Cancel
                </button>
              </div>
            </form>
            {error !== null && <ErrorMessage error={error} title="The row was not saved" />}
          </td>
        </tr>
      )}
    </>
  );
}

function RoleSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: BandRole;
  onChange: (role: BandRole) => void;
}) {
  return (
    <div class="field field--compact">
      <label for={id}>Role</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value as BandRole)}
      >
        {BAND_ROLES.map((role) => (
          <option key={role} value={role}>
            {roleLabel(role)}
          </option>
        ))}
      </select>
    </div>
  );
}

function DateField({
  id,
  label,
  value,
  onChange,
  error,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  return (
    <div class="field field--compact">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="date"
        value={value}
        aria-invalid={error !== undefined}
        aria-describedby={error !== undefined ? `${id}-error` : undefined}
        onInput={(event) => onChange(event.currentTarget.value)}
      />
      {error !== undefined && (
        <p id={`${id}-error`} class="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

function AddBandForm({
  carrierId,
  onAdded,
}: {
  carrierId: string;
  onAdded: (carrier: CarrierDto, message: string) => void;
}) {
  const [technology, setTechnology] = useState<Technology>(TECHNOLOGIES[0]);
  const [band, setBand] = useState("");
  const [role, setRole] = useState<BandRole>(BAND_ROLES[0]);
  const [fromDate, setFromDate] = useState("");
  const [untilDate, setUntilDate] = useState("");
  const [requiresVolte, setRequiresVolte] = useState(false);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [bandProblem, setBandProblem] = useState<string | undefined>(undefined);
  const shownBandProblem = bandProblem ?? error?.detailFor("band");
  return (
    <section class="card" aria-labelledby="add-band-title">
      <h2 id="add-band-title" class="card__title">
        Add a band row
      </h2>
      <form
        class="form-grid"
        onSubmit={(event) => {
          event.preventDefault();
          const number = Number(band);
          if (!Number.isInteger(number) || !isValidBand(technology, number)) {
            setBandProblem(`is not a ${technologyLabel(technology)} band`);
            return;
          }
          setBandProblem(undefined);
          setBusy(true);
          setError(null);
          addCarrierBand(carrierId, {
            technology,
            band: number,
            role,
            fromDate: fromDate === "" ? null : fromDate,
            untilDate: untilDate === "" ? null : untilDate,
            requiresVolte,
            note,
          })
            .then(
              (carrier) => {
                setBand("");
                setNote("");
                setFromDate("");
                setUntilDate("");
                setRequiresVolte(false);
                onAdded(
                  carrier,
                  `${technologyLabel(technology)} ${bandText(technology, number)} is added.`,
                );
              },
              (failure: unknown) => setError(asApiError(failure)),
            )
            .finally(() => setBusy(false));
        }}
      >
        <div class="field field--compact">
          <label for="add-band-technology">Technology</label>
          <select
            id="add-band-technology"
            value={technology}
            onChange={(event) => setTechnology(event.currentTarget.value as Technology)}
          >
            {TECHNOLOGIES.map((value) => (
              <option key={value} value={value}>
                {technologyLabel(value)}
              </option>
            ))}
          </select>
        </div>
        <div class="field field--compact">
          <label for="add-band-band">Band number</label>
          <input
            id="add-band-band"
            inputMode="numeric"
            required
            value={band}
            aria-invalid={shownBandProblem !== undefined}
            aria-describedby="add-band-band-hint"
            onInput={(event) => setBand(event.currentTarget.value)}
          />
          <p id="add-band-band-hint" class="muted field__hint">
            LTE and UMTS by 3GPP number (12), GSM by MHz (1900), CDMA by band class (0).
          </p>
          {shownBandProblem !== undefined && <p class="field__error">{shownBandProblem}</p>}
        </div>
        <RoleSelect id="add-band-role" value={role} onChange={setRole} />
        <DateField id="add-band-from" label="From" value={fromDate} onChange={setFromDate} />
        <DateField
          id="add-band-until"
          label="Until (retired on)"
          value={untilDate}
          onChange={setUntilDate}
          error={error?.detailFor("untilDate")}
        />
        <div class="field field--compact">
          <label for="add-band-note">Note</label>
          <input
            id="add-band-note"
            maxLength={CatalogLimits.sourceMax}
            value={note}
            onInput={(event) => setNote(event.currentTarget.value)}
          />
        </div>
        <label class="checkbox form-grid__full">
          <input
            type="checkbox"
            checked={requiresVolte}
            onChange={(event) => setRequiresVolte(event.currentTarget.checked)}
          />
          Requires VoLTE (the band carries no voice without it)
        </label>
        <FormFooter
          error={error}
          errorTitle="The row was not added"
          busy={busy}
          busyLabel="Adding…"
          submit="Add row"
        />
      </form>
    </section>
  );
}
