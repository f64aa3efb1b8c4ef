import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type {
  AuditEntryDto,
  ModelDetailDto,
  TacDto,
  VariantDto,
} from "../../../../shared/contracts/http/catalog";
import type { UserDto } from "../../../../shared/contracts/http/tickets";
import {
  BAND_CONFIDENCES,
  VOLTE_CAPABILITIES,
  formatBandList,
  parseBandList,
} from "../../../../shared/domain/bands";
import type { BandConfidence, VolteCapability } from "../../../../shared/domain/bands";
import { CatalogLimits, TAC_SOURCES } from "../../../../shared/domain/catalog";
import type { TacSource } from "../../../../shared/domain/catalog";
import { consoleHref } from "../../app/routes";
import {
  createTac,
  createVariant,
  getModel,
  updateModel,
  updateTac,
  updateVariant,
  variantHistory,
} from "../../api/catalog";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";
import { FormFooter } from "../../components/FormFooter";
import { usePageTitle } from "../../components/usePageTitle";
import { formatDateTime, formatDay } from "../tickets/format";
import { splitNames } from "./CatalogPage";
import {
  BAND_TECHNOLOGIES,
  CONFIDENCE_LABELS,
  TAC_SOURCE_LABELS,
  VOLTE_CAPABILITY_LABELS,
  bandText,
  bandsOf,
  technologyLabel,
} from "./labels";
import "./catalog.css";

/**
 * A model: its variants (bands per technology, region, VoLTE capability, where the band data
 * comes from and how far to trust it, notes) and the TACs that name it, with their source.
 * Agents add and correct TACs; admins edit the model and its variants.
 */
export function ModelPage({ id, user }: { id: string; user: UserDto }) {
  const [model, setModel] = useState<ModelDetailDto | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState("");
  const [editing, setEditing] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const admin = user.role === "admin";
  usePageTitle(model === null ? "Model" : `${model.brand} ${model.name}`);

  const reload = useCallback(
    (signal?: AbortSignal) =>
      getModel(id, signal).then(setModel, (failure: unknown) => {
        if (!isAbortError(failure)) {
          setError(asApiError(failure));
        }
      }),
    [id],
  );

  useEffect(() => {
    const controller = new AbortController();
    void reload(controller.signal).then(() => heading.current?.focus());
    return () => controller.abort();
  }, [reload]);

  const changed = (message: string) => {
    setNotice(message);
    void reload();
  };

  if (model === null) {
    return (
      <div class="catalog">
        <p>
          <a href={consoleHref({ view: "catalog" })}>← Catalogue</a>
        </p>
        {error !== null ? (
          <ErrorMessage error={error} title="The model could not load" />
        ) : (
          <p role="status">Loading…</p>
        )}
      </div>
    );
  }

  return (
    <div class="catalog">
      <p class="catalog__back">
        <a href={consoleHref({ view: "catalog" })}>← Catalogue</a>
      </p>
      <div class="catalog__heading">
        <h1 ref={heading} tabIndex={-1} dir="auto">
          {model.brand} {model.name}
        </h1>
        {admin && !editing && (
          <button
            type="button"
            class="button button--secondary button--small"
            onClick={() => setEditing(true)}
          >
            Edit model
          </button>
        )}
      </div>
      {model.aka.length > 0 && (
        <p class="muted" dir="auto">
          Also known as {model.aka.join(", ")}
        </p>
      )}
      <p class="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      {error !== null && <ErrorMessage error={error} />}
      {editing && (
        <EditModelForm
          model={model}
          onDone={(message) => {
            setEditing(false);
            if (message !== null) {
              changed(message);
            }
          }}
        />
      )}

      <section aria-labelledby="variants-title">
        <h2 id="variants-title" class="section-heading">
          Variants ({model.variants.length})
        </h2>
        {model.variants.length === 0 && (
          <p class="empty">No variant yet: the bands of this model are unknown.</p>
        )}
        <div class="variant-list">
          {model.variants.map((variant) => (
            <VariantCard
              key={variant.id}
              variant={variant}
              admin={admin}
              onChanged={() => changed(`${variant.name} is saved.`)}
            />
          ))}
        </div>
        {admin && (
          <AddVariant modelId={model.id} onAdded={(name) => changed(`${name} is added.`)} />
        )}
      </section>

      <section class="card" aria-labelledby="tacs-title">
        <h2 id="tacs-title" class="card__title">
          TACs ({model.tacs.length})
        </h2>
        <p class="muted">
          A TAC (the first 8 digits of the IMEI) names the model; it names the variant only when
          someone has seen which one it is.
        </p>
        {model.tacs.length > 0 && (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">TAC</th>
                  <th scope="col">Variant</th>
                  <th scope="col">Source</th>
                  <th scope="col">Recorded</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {model.tacs.map((tac) => (
                  <TacRow
                    key={tac.tac}
                    tac={tac}
                    variants={model.variants}
                    onChanged={() => changed(`TAC ${tac.tac} is corrected.`)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <AddTacForm
          modelId={model.id}
          variants={model.variants}
          onAdded={(tac) => changed(`TAC ${tac} is added.`)}
        />
      </section>
    </div>
  );
}

function VariantCard({
  variant,
  admin,
  onChanged,
}: {
  variant: VariantDto;
  admin: boolean;
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const titleId = `variant-${variant.id}`;
  return (
    <article class="card variant" aria-labelledby={titleId}>
      <div class="catalog__heading">
        <h3 id={titleId} class="card__title" dir="auto">
          {variant.name}
        </h3>
        {admin && !editing && (
          <button
            type="button"
            class="button button--secondary button--small"
            aria-label={`Edit ${variant.name}`}
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
        )}
      </div>
      {editing ? (
        <VariantForm
          variant={variant}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      ) : (
        <>
          <dl class="facts variant__facts">
            <div>
              <dt>Region</dt>
              <dd dir="auto">{variant.region ?? "—"}</dd>
            </div>
            <div>
              <dt>Operator SKU</dt>
              <dd dir="auto">{variant.operatorSku ?? "—"}</dd>
            </div>
            <div>
              <dt>VoLTE</dt>
              <dd>{VOLTE_CAPABILITY_LABELS[variant.volteCapable]}</dd>
            </div>
            <div>
              <dt>Band data</dt>
              <dd dir="auto">
                {variant.bandSource === null ? (
                  "No source"
                ) : (
                  <>
                    {variant.bandSource}
                    {variant.bandConfidence !== null &&
                      ` · ${CONFIDENCE_LABELS[variant.bandConfidence]} confidence`}
                  </>
                )}
              </dd>
            </div>
          </dl>
          <table class="table bands">
            <caption class="visually-hidden">Bands of {variant.name}</caption>
            <tbody>
              {BAND_TECHNOLOGIES.map((technology) => {
                const bands = bandsOf(variant, technology);
                return (
                  <tr key={technology}>
                    <th scope="row">{technologyLabel(technology)}</th>
                    <td>
                      {bands === null ? (
                        <span class="muted">Unknown</span>
                      ) : bands.length === 0 ? (
                        "None"
                      ) : (
                        bands.map((band) => bandText(technology, band)).join(", ")
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {variant.notes !== null && (
            <p class="variant__notes" dir="auto">
              {variant.notes}
            </p>
          )}
          <VariantHistory variant={variant} />
        </>
      )}
    </article>
  );
}

function AddVariant({ modelId, onAdded }: { modelId: string; onAdded: (name: string) => void }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <p>
        <button type="button" class="button button--secondary" onClick={() => setOpen(true)}>
          Add a variant
        </button>
      </p>
    );
  }
  return (
    <section class="card" aria-labelledby="new-variant-title">
      <h3 id="new-variant-title" class="card__title">
        New variant
      </h3>
      <VariantForm
        modelId={modelId}
        onCancel={() => setOpen(false)}
        onSaved={(name) => {
          setOpen(false);
          onAdded(name);
        }}
      />
    </section>
  );
}

/** The fields of a variant, for a new one (`modelId`) or an edit (`variant`). */
function VariantForm({
  variant,
  modelId,
  onSaved,
  onCancel,
}: {
  variant?: VariantDto;
  modelId?: string;
  onSaved: (name: string) => void;
  onCancel: () => void;
}) {
  const prefix = `variant-form-${variant?.id ?? "new"}`;
  const [name, setName] = useState(variant?.name ?? "");
  const [region, setRegion] = useState(variant?.region ?? "");
  const [sku, setSku] = useState(variant?.operatorSku ?? "");
  const [bandTexts, setBandTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      BAND_TECHNOLOGIES.map((t) => [
        t,
        variant === undefined ? "unknown" : formatBandList(bandsOf(variant, t)),
      ]),
    ),
  );
  const [volte, setVolte] = useState<VolteCapability>(variant?.volteCapable ?? "unknown");
  const [source, setSource] = useState(variant?.bandSource ?? "");
  const [confidence, setConfidence] = useState<BandConfidence | "">(variant?.bandConfidence ?? "");
  const [notes, setNotes] = useState(variant?.notes ?? "");
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const message = (path: string) => problems[path] ?? error?.detailFor(path);

  const submit = () => {
    const found: Record<string, string> = {};
    const bands: Record<string, number[] | null> = {};
    for (const technology of BAND_TECHNOLOGIES) {
      const parsed = parseBandList(technology, bandTexts[technology] ?? "unknown");
      if (parsed.ok) {
        bands[`${technology}Bands`] = parsed.bands;
      } else {
        found[`${technology}Bands`] = parsed.message;
      }
    }
    setProblems(found);
    setError(null);
    if (Object.keys(found).length > 0) {
      return;
    }
    const fields = {
      name,
      region,
      operatorSku: sku,
      ...bands,
      volteCapable: volte,
      bandSource: source,
      bandConfidence: confidence === "" ? null : confidence,
      notes,
    };
    setBusy(true);
    const saving =
      variant === undefined
        ? createVariant({ modelId: modelId ?? "", ...fields })
        : updateVariant(variant.id, fields);
    saving
      .then(
        (saved) => onSaved(saved.name),
        (failure: unknown) => setError(asApiError(failure)),
      )
      .finally(() => setBusy(false));
  };

  const text = (
    path: string,
    label: string,
    value: string,
    set: (value: string) => void,
    max: number,
    hint?: string,
  ) => {
    const fieldId = `${prefix}-${path}`;
    const problem = message(path);
    return (
      <div class="field field--compact">
        <label for={fieldId}>{label}</label>
        <input
          id={fieldId}
          value={value}
          maxLength={max}
          required={path === "name"}
          aria-invalid={problem !== undefined}
          aria-describedby={
            [
              hint !== undefined ? `${fieldId}-hint` : "",
              problem !== undefined ? `${fieldId}-error` : "",
            ]
              .filter((x) => x !== "")
              .join(" ") || undefined
          }
          onInput={(event) => set(event.currentTarget.value)}
        />
        {hint !== undefined && (
          <p id={`${fieldId}-hint`} class="muted field__hint">
            {hint}
          </p>
        )}
        {problem !== undefined && (
          <p id={`${fieldId}-error`} class="field__error">
            {problem}
          </p>
        )}
      </div>
    );
  };

  return (
    <form
      class="form-grid"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {text("name", "Name", name, setName, CatalogLimits.variantNameMax)}
      {text("region", "Region", region, setRegion, CatalogLimits.regionMax)}
      {text("operatorSku", "Operator SKU", sku, setSku, CatalogLimits.skuMax)}
      <div class="field field--compact">
        <label for={`${prefix}-volte`}>VoLTE capability</label>
        <select
          id={`${prefix}-volte`}
          value={volte}
          onChange={(event) => setVolte(event.currentTarget.value as VolteCapability)}
        >
          {VOLTE_CAPABILITIES.map((value) => (
            <option key={value} value={value}>
              {VOLTE_CAPABILITY_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
      {BAND_TECHNOLOGIES.map((technology) =>
        text(
          `${technology}Bands`,
          `${technologyLabel(technology)} bands`,
          bandTexts[technology] ?? "",
          (value) => setBandTexts((current) => ({ ...current, [technology]: value })),
          400,
          technology === "lte" ? "e.g. 1, 3, 5, 7, 38-41; “unknown” or “none”" : undefined,
        ),
      )}
      {text("bandSource", "Band data source", source, setSource, CatalogLimits.sourceMax)}
      <div class="field field--compact">
        <label for={`${prefix}-confidence`}>Confidence</label>
        <select
          id={`${prefix}-confidence`}
          value={confidence}
          aria-invalid={message("bandConfidence") !== undefined}
          onChange={(event) => setConfidence(event.currentTarget.value as BandConfidence | "")}
        >
          <option value="">Not rated</option>
          {BAND_CONFIDENCES.map((value) => (
            <option key={value} value={value}>
              {CONFIDENCE_LABELS[value]}
            </option>
          ))}
        </select>
        {message("bandConfidence") !== undefined && (
          <p class="field__error">{message("bandConfidence")}</p>
        )}
      </div>
      <div class="field field--compact form-grid__full">
        <label for={`${prefix}-notes`}>Notes</label>
        <textarea
          id={`${prefix}-notes`}
          rows={3}
          maxLength={CatalogLimits.notesMax}
          value={notes}
          onInput={(event) => setNotes(event.currentTarget.value)}
        />
      </div>
      <FormFooter
        error={error}
        errorTitle="The variant was not saved"
        busy={busy}
        busyLabel="Saving…"
        submit={variant === undefined ? "Add variant" : "Save variant"}
        onCancel={onCancel}
      />
    </form>
  );
}

function EditModelForm({
  model,
  onDone,
}: {
  model: ModelDetailDto;
  onDone: (message: string | null) => void;
}) {
  const [brand, setBrand] = useState(model.brand);
  const [name, setName] = useState(model.name);
  const [aka, setAka] = useState(model.aka.join(", "));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <section class="card" aria-labelledby="edit-model-title">
      <h2 id="edit-model-title" class="card__title">
        Edit model
      </h2>
      <form
        class="form-grid"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          updateModel(model.id, { brand, name, aka: splitNames(aka) })
            .then(
              (saved) => onDone(`${saved.brand} ${saved.name} is saved.`),
              (failure: unknown) => setError(asApiError(failure)),
            )
            .finally(() => setBusy(false));
        }}
      >
        <div class="field field--compact">
          <label for="edit-model-brand">Brand</label>
          <input
            id="edit-model-brand"
            required
            maxLength={CatalogLimits.brandMax}
            value={brand}
            onInput={(event) => setBrand(event.currentTarget.value)}
          />
        </div>
        <div class="field field--compact">
          <label for="edit-model-name">Model</label>
          <input
            id="edit-model-name"
            required
            maxLength={CatalogLimits.modelMax}
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </div>
        <div class="field field--compact form-grid__full">
          <label for="edit-model-aka">Other names (comma-separated)</label>
          <input
            id="edit-model-aka"
            value={aka}
            onInput={(event) => setAka(event.currentTarget.value)}
          />
        </div>
        <FormFooter
          error={error}
          errorTitle="The model was not saved"
          busy={busy}
          submit="Save model"
          onCancel={() => onDone(null)}
        />
      </form>
    </section>
  );
}

function sourceOptions() {
  return TAC_SOURCES.map((value) => (
    <option key={value} value={value}>
      {TAC_SOURCE_LABELS[value]}
    </option>
  ));
}

function variantOptions(variants: readonly VariantDto[]) {
  return [
    <option key="" value="">
      Not known (the TAC names the model only)
    </option>,
    ...variants.map((variant) => (
      <option key={variant.id} value={variant.id}>
        {variant.name}
      </option>
    )),
  ];
}

/** A TAC of the model; anyone may correct the variant it names, saying where that comes from. */
function TacRow({
  tac,
  variants,
  onChanged,
}: {
  tac: TacDto;
  variants: readonly VariantDto[];
  onChanged: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [variantId, setVariantId] = useState(tac.variantId ?? "");
  const [source, setSource] = useState<TacSource>("agent_observed");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const rowId = `tac-${tac.tac}`;
  return (
    <>
      <tr>
        <td class="mono">{tac.tac}</td>
        <td dir="auto">{tac.variantName ?? <span class="muted">Not known</span>}</td>
        <td>{TAC_SOURCE_LABELS[tac.source]}</td>
        <td>{formatDay(tac.updatedAt.slice(0, 10))}</td>
        <td class="table__actions">
          <button
            type="button"
            class="button button--secondary button--small"
            aria-expanded={open}
            aria-controls={`${rowId}-form`}
            aria-label={`Correct TAC ${tac.tac}`}
            onClick={() => setOpen((value) => !value)}
          >
            Correct
          </button>
        </td>
      </tr>
      {open && (
        <tr id={`${rowId}-form`}>
          <td colSpan={5}>
            <form
              class="inline-form"
              onSubmit={(event) => {
                event.preventDefault();
                setBusy(true);
                setError(null);
                updateTac(tac.tac, { variantId: variantId === "" ? null : variantId, source })
                  .then(
                    () => {
                      setOpen(false);
                      onChanged();
                    },
                    (failure: unknown) => setError(asApiError(failure)),
                  )
                  .finally(() => setBusy(false));
              }}
            >
              <div class="field field--compact">
                <label for={`${rowId}-variant`}>Variant of TAC {tac.tac}</label>
                <select
                  id={`${rowId}-variant`}
                  value={variantId}
                  onChange={(event) => setVariantId(event.currentTarget.value)}
                >
                  {variantOptions(variants)}
                </select>
              </div>
              <div class="field field--compact">
                <label for={`${rowId}-source`}>Source of the correction</label>
                <select
                  id={`${rowId}-source`}
                  value={source}
                  onChange={(event) => setSource(event.currentTarget.value as TacSource)}
                >
                  {sourceOptions()}
                </select>
              </div>
              <div class="button-row">
                <button type="submit" class="button button--small" disabled={busy}>
                  Save
                </button>
                <button
                  type="button"
                  class="button button--secondary button--small"
                  onClick={() => setOpen(false)}
                >
                  Cancel
                </button>
              </div>
            </form>
            {error !== null && (
              <ErrorMessage error={error} title={`TAC ${tac.tac} was not corrected`} />
            )}
          </td>
        </tr>
      )}
    </>
  );
}

/** Any agent adds a TAC seen on a box or a sheet, naming the source (and the variant if known). */
function AddTacForm({
  modelId,
  variants,
  onAdded,
}: {
  modelId: string;
  variants: readonly VariantDto[];
  onAdded: (tac: string) => void;
}) {
  const [tac, setTac] = useState("");
  const [variantId, setVariantId] = useState("");
  const [source, setSource] = useState<TacSource>("agent_observed");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const tacProblem = error?.detailFor("tac");
  return (
    <form
      class="form-grid add-tac"
      aria-labelledby="add-tac-title"
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        createTac({
          tac: tac.trim(),
          modelId,
          variantId: variantId === "" ? null : variantId,
          source,
        })
          .then(
            (entry) => {
              setTac("");
              setVariantId("");
              onAdded(entry.tac);
            },
            (failure: unknown) => setError(asApiError(failure)),
          )
          .finally(() => setBusy(false));
      }}
    >
      <h3 id="add-tac-title" class="form-grid__full add-tac__title">
        Add a TAC
      </h3>
      <div class="field field--compact">
        <label for="add-tac-tac">TAC (8 digits)</label>
        <input
          id="add-tac-tac"
          inputMode="numeric"
          autoComplete="off"
          required
          pattern="[0-9]{8}"
          maxLength={8}
          value={tac}
          aria-invalid={tacProblem !== undefined}
          aria-describedby={tacProblem !== undefined ? "add-tac-tac-error" : undefined}
          onInput={(event) => setTac(event.currentTarget.value)}
        />
        {tacProblem !== undefined && (
          <p id="add-tac-tac-error" class="field__error">
            {tacProblem}
          </p>
        )}
      </div>
      <div class="field field--compact">
        <label for="add-tac-variant">Variant</label>
        <select
          id="add-tac-variant"
          value={variantId}
          onChange={(event) => setVariantId(event.currentTarget.value)}
        >
          {variantOptions(variants)}
        </select>
      </div>
      <div class="field field--compact">
        <label for="add-tac-source">Source</label>
        <select
          id="add-tac-source"
          value={source}
          onChange={(event) => setSource(event.currentTarget.value as TacSource)}
        >
          {sourceOptions()}
        </select>
      </div>
      <FormFooter
        error={error}
        errorTitle="The TAC was not added"
        busy={busy}
        busyLabel="Adding…"
        submit="Add TAC"
      />
    </form>
  );
}

/** A value of the audit in words: lists joined, nothing as a dash. */
function auditValue(value: unknown): string {
  if (value === null || value === undefined) {
    return "—";
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? "none" : value.map((item) => JSON.stringify(item)).join(", ");
  }
  if (typeof value === "string") {
    return value;
  }
  return JSON.stringify(value);
}

const SUBJECTS: Record<string, string> = {
  variant: "Variant",
  tac: "TAC",
  certification: "Certification",
};

/** Who changed the variant, its TACs and its certification, and what, newest first. */
function VariantHistory({ variant }: { variant: VariantDto }) {
  const [entries, setEntries] = useState<AuditEntryDto[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <details
      class="variant__history"
      onToggle={(event) => {
        if (event.currentTarget.open && entries === null) {
          variantHistory(variant.id).then(
            (items) => setEntries([...items].reverse()),
            (failure: unknown) => setError(asApiError(failure)),
          );
        }
      }}
    >
      <summary>Change history</summary>
      {error !== null && <ErrorMessage error={error} title="The history could not load" />}
      {entries === null ? (
        error === null && <p role="status">Loading…</p>
      ) : (
        <ol class="variant__history-list">
          {entries.map((entry) => (
            <li key={entry.id}>
              <p class="muted">
                {formatDateTime(entry.createdAt)} · {entry.actor.name ?? "Greydesk"} ·{" "}
                {SUBJECTS[entry.subjectType] ?? entry.subjectType}
                {entry.subjectType === "tac" && ` ${entry.subjectId}`} {entry.action}
              </p>
              <ul>
                {entry.changes.map((change, index) => (
                  <li key={`${change.field}:${index}`} dir="auto">
                    {change.field}: {auditValue(change.from)} → {auditValue(change.to)}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
