import { useEffect, useRef, useState } from "preact/hooks";
import type { BatchDto, DistributorDto } from "../../../../shared/contracts/http/batches";
import type { ModelDto, VariantDto } from "../../../../shared/contracts/http/catalog";
import type { UserDto } from "../../../../shared/contracts/http/tickets";
import { createBatch, createDistributor, listBatches, listDistributors } from "../../api/batches";
import { asApiError, callApi, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";
import { FormFooter } from "../../components/FormFooter";
import { usePageTitle } from "../../components/usePageTitle";
import "./batches.css";
import { consoleHref } from "../../app/routes";

/** `1,234` */
export const count = (n: number) => n.toLocaleString("en-US");

/**
 * Import batches (shipments): every batch with its distributor, variant and units; admins add a
 * batch (and a distributor) here, then open it to upload the distributor's CSV.
 */
export function BatchesPage({ user }: { user: UserDto }) {
  usePageTitle("Import batches");
  const [batches, setBatches] = useState<BatchDto[] | null>(null);
  const [distributors, setDistributors] = useState<DistributorDto[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
    const controller = new AbortController();
    Promise.all([listBatches(controller.signal), listDistributors(controller.signal)]).then(
      ([items, people]) => {
        setBatches(items);
        setDistributors(people);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) {
          setError(asApiError(failure));
        }
      },
    );
    return () => controller.abort();
  }, []);

  return (
    <div class="admin batches">
      <h1 ref={heading} tabIndex={-1}>
        Import batches
      </h1>
      <p>
        Each batch is one shipment from a distributor. Its units come from the distributor's CSV;
        see <a href={consoleHref({ view: "batch-health" })}>batch health</a> for defect rates.
      </p>
      {error !== null && <ErrorMessage error={error} title="The batches could not load" />}
      <section class="card" aria-labelledby="batches-list-title">
        <h2 id="batches-list-title" class="card__title">
          Batches
        </h2>
        {batches === null ? (
          error === null && <p role="status">Loading…</p>
        ) : batches.length === 0 ? (
          <p>No batch yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Reference</th>
                  <th scope="col">Distributor</th>
                  <th scope="col">Variant</th>
                  <th scope="col">Received</th>
                  <th scope="col" class="num">
                    Units
                  </th>
                  <th scope="col">Warranty terms</th>
                </tr>
              </thead>
              <tbody>
                {batches.map((batch) => (
                  <tr key={batch.id}>
                    <td>
                      <a href={consoleHref({ view: "batch", id: batch.id })}>{batch.reference}</a>
                    </td>
                    <td dir="auto">{batch.distributor?.name ?? "—"}</td>
                    <td dir="auto">
                      {batch.variant
                        ? `${batch.variant.brand} ${batch.variant.model} ${batch.variant.name}`
                        : "—"}
                    </td>
                    <td>{batch.receivedOn ?? "—"}</td>
                    <td class="num">
                      {count(batch.units)}
                      {batch.quantity !== null && (
                        <span class="muted"> of {count(batch.quantity)}</span>
                      )}
                    </td>
                    <td>{termsLabel(batch)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {user.role === "admin" && (
        <NewBatchForm
          distributors={distributors}
          onDistributor={(added) =>
            setDistributors((current) =>
              [...current, added].sort((a, b) => a.name.localeCompare(b.name)),
            )
          }
          onCreated={(batch) => {
            window.location.hash = consoleHref({ view: "batch", id: batch.id });
          }}
        />
      )}
    </div>
  );
}

/** "12 months, DOA 15 days, from import" */
export function termsLabel(batch: BatchDto): string {
  if (batch.warrantyMonths === null && (batch.doaDays ?? 0) === 0) {
    return "None (units stay pending)";
  }
  const parts: string[] = [];
  if (batch.warrantyMonths !== null) {
    parts.push(`${batch.warrantyMonths} months`);
  }
  if ((batch.doaDays ?? 0) > 0) {
    parts.push(`DOA ${batch.doaDays} days`);
  }
  parts.push(
    batch.warrantyStartRule === "date" && batch.warrantyStartOn !== null
      ? `from ${batch.warrantyStartOn}`
      : "from the import day",
  );
  return parts.join(", ");
}

/** The variants of the catalogue's models, for a picker: pick a model, then its variant. */
export function useVariantChoices(): {
  models: ModelDto[];
  variantsOf: (modelId: string) => Promise<VariantDto[]>;
} {
  const [models, setModels] = useState<ModelDto[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    callApi("GET /catalog/models", { signal: controller.signal }).then(
      ({ items }) =>
        setModels(
          items
            .filter((model) => model.variantCount > 0)
            .sort((a, b) => `${a.brand} ${a.name}`.localeCompare(`${b.brand} ${b.name}`)),
        ),
      () => undefined,
    );
    return () => controller.abort();
  }, []);
  return {
    models,
    variantsOf: async (id) =>
      (await callApi("GET /catalog/models/:id", { params: { id } })).model.variants,
  };
}

function NewBatchForm({
  distributors,
  onDistributor,
  onCreated,
}: {
  distributors: DistributorDto[];
  onDistributor: (added: DistributorDto) => void;
  onCreated: (batch: BatchDto) => void;
}) {
  const { models, variantsOf } = useVariantChoices();
  const [reference, setReference] = useState("");
  const [distributorId, setDistributorId] = useState("");
  const [modelId, setModelId] = useState("");
  const [variants, setVariants] = useState<VariantDto[]>([]);
  const [variantId, setVariantId] = useState("");
  const [romRegion, setRomRegion] = useState("");
  const [quantity, setQuantity] = useState("");
  const [receivedOn, setReceivedOn] = useState("");
  const [newDistributor, setNewDistributor] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const pickModel = (id: string) => {
    setModelId(id);
    setVariantId("");
    setVariants([]);
    if (id !== "") {
      variantsOf(id).then(
        (list) => {
          setVariants(list);
          if (list.length === 1) {
            setVariantId(list[0].id);
          }
        },
        (failure: unknown) => setError(asApiError(failure)),
      );
    }
  };
  const fieldError = (path: string) => error?.detailFor(path);
  const described = (id: string, path: string) =>
    fieldError(path) !== undefined ? `${id}-error` : undefined;
  const errorLine = (id: string, path: string) =>
    fieldError(path) !== undefined && (
      <p id={`${id}-error`} class="field__error">
        {fieldError(path)}
      </p>
    );

  return (
    <section class="card" aria-labelledby="new-batch-title">
      <h2 id="new-batch-title" class="card__title">
        Add a batch
      </h2>
      <form
        class="form-grid"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          createBatch({
            reference,
            distributorId: distributorId === "" ? null : distributorId,
            variantId: variantId === "" ? null : variantId,
            romRegion: romRegion === "" ? null : romRegion,
            quantity: quantity === "" ? null : Number(quantity),
            receivedOn: receivedOn === "" ? null : receivedOn,
          })
            .then(onCreated, (failure: unknown) => setError(asApiError(failure)))
            .finally(() => setBusy(false));
        }}
      >
        <div class="field field--compact">
          <label for="batch-reference">Reference</label>
          <input
            id="batch-reference"
            required
            value={reference}
            placeholder="HK-2026-03"
            aria-invalid={fieldError("reference") !== undefined}
            aria-describedby={described("batch-reference", "reference")}
            onInput={(event) => setReference(event.currentTarget.value)}
          />
          {errorLine("batch-reference", "reference")}
        </div>
        <div class="field field--compact">
          <label for="batch-distributor">Distributor</label>
          <select
            id="batch-distributor"
            value={distributorId}
            onChange={(event) => setDistributorId(event.currentTarget.value)}
          >
            <option value="">None</option>
            {distributors.map((distributor) => (
              <option key={distributor.id} value={distributor.id}>
                {distributor.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field field--compact">
          <label for="batch-model">Model</label>
          <select
            id="batch-model"
            value={modelId}
            onChange={(event) => pickModel(event.currentTarget.value)}
          >
            <option value="">Not known yet</option>
            {models.map((model) => (
              <option key={model.id} value={model.id}>
                {model.brand} {model.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field field--compact">
          <label for="batch-variant">Variant</label>
          <select
            id="batch-variant"
            value={variantId}
            disabled={variants.length === 0}
            onChange={(event) => setVariantId(event.currentTarget.value)}
          >
            <option value="">{modelId === "" ? "Pick a model first" : "Choose…"}</option>
            {variants.map((variant) => (
              <option key={variant.id} value={variant.id}>
                {variant.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field field--compact">
          <label for="batch-rom">ROM region</label>
          <input
            id="batch-rom"
            value={romRegion}
            placeholder="China, Global…"
            onInput={(event) => setRomRegion(event.currentTarget.value)}
          />
        </div>
        <div class="field field--compact">
          <label for="batch-quantity">Units declared</label>
          <input
            id="batch-quantity"
            type="number"
            min={0}
            inputMode="numeric"
            value={quantity}
            aria-invalid={fieldError("quantity") !== undefined}
            aria-describedby={described("batch-quantity", "quantity")}
            onInput={(event) => setQuantity(event.currentTarget.value)}
          />
          {errorLine("batch-quantity", "quantity")}
        </div>
        <div class="field field--compact">
          <label for="batch-received">Received on</label>
          <input
            id="batch-received"
            type="date"
            value={receivedOn}
            onInput={(event) => setReceivedOn(event.currentTarget.value)}
          />
        </div>
        <FormFooter
          error={error}
          errorTitle="The batch was not added"
          busy={busy}
          busyLabel="Adding…"
          submit="Add batch"
        />
      </form>
      <form
        class="inline-form batches__distributor"
        onSubmit={(event) => {
          event.preventDefault();
          setError(null);
          createDistributor(newDistributor).then(
            (added) => {
              setNewDistributor("");
              onDistributor(added);
              setDistributorId(added.id);
            },
            (failure: unknown) => setError(asApiError(failure)),
          );
        }}
      >
        <div class="field field--compact">
          <label for="new-distributor">New distributor</label>
          <input
            id="new-distributor"
            required
            value={newDistributor}
            onInput={(event) => setNewDistributor(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button button--secondary button--small">
          Add distributor
        </button>
      </form>
    </section>
  );
}
