import { useEffect, useRef, useState } from "preact/hooks";
import type { ModelDto, TacDto } from "../../../../shared/contracts/http/catalog";
import type { UserDto } from "../../../../shared/contracts/http/tickets";
import { CatalogLimits } from "../../../../shared/domain/catalog";
import { consoleHref } from "../../app/routes";
import { createModel, getTac, listModels } from "../../api/catalog";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";
import { FormFooter } from "../../components/FormFooter";
import { usePageTitle } from "../../components/usePageTitle";
import { TAC_SOURCE_LABELS } from "./labels";
import "./catalog.css";

/**
 * The device catalogue: every model with its variant and TAC counts, searched by brand, model or
 * other names; what a TAC is; admins add a model.
 */
export function CatalogPage({ user }: { user: UserDto }) {
  usePageTitle("Catalogue");
  const [q, setQ] = useState("");
  const [models, setModels] = useState<ModelDto[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    listModels(q, controller.signal).then(setModels, (failure: unknown) => {
      if (!isAbortError(failure)) {
        setError(asApiError(failure));
      }
    });
    return () => controller.abort();
  }, [q]);

  return (
    <div class="catalog">
      <div class="catalog__heading">
        <h1 ref={heading} tabIndex={-1}>
          Catalogue
        </h1>
        <a class="button button--secondary button--small" href={consoleHref({ view: "carriers" })}>
          Carriers and certification
        </a>
      </div>
      <p class="muted">
        Device models, their variants (bands, VoLTE) and the TACs that name them. Agents add the
        TACs they see; admins manage models and variants.
      </p>
      <div class="catalog__tools">
        <section class="card catalog__search" aria-labelledby="model-search-title">
          <h2 id="model-search-title" class="card__title">
            Models
          </h2>
          <div class="field field--compact">
            <label for="model-search">Search brand, model or other names</label>
            <input
              id="model-search"
              type="search"
              value={q}
              maxLength={120}
              placeholder="Redmi, MI 4W, kenzo…"
              onInput={(event) => setQ(event.currentTarget.value)}
            />
          </div>
        </section>
        <TacLookup />
      </div>
      {error !== null && <ErrorMessage error={error} title="The catalogue could not load" />}
      <section class="card" aria-labelledby="models-title">
        <h2 id="models-title" class="visually-hidden">
          Models found
        </h2>
        {models === null ? (
          error === null && <p role="status">Loading…</p>
        ) : models.length === 0 ? (
          <p class="empty">No model matches “{q}”.</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">
                {models.length} model{models.length === 1 ? "" : "s"}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col" class="catalog__aka">
                    Also known as
                  </th>
                  <th scope="col" class="table__number">
                    Variants
                  </th>
                  <th scope="col" class="table__number">
                    TACs
                  </th>
                </tr>
              </thead>
              <tbody>
                {models.map((model) => (
                  <tr key={model.id}>
                    <td dir="auto">
                      <a href={consoleHref({ view: "model", id: model.id })}>
                        {model.brand} {model.name}
                      </a>
                    </td>
                    <td dir="auto" class="muted catalog__aka">
                      {model.aka.join(", ")}
                    </td>
                    <td class="table__number">{model.variantCount}</td>
                    <td class="table__number">{model.tacCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {user.role === "admin" && <CreateModelForm />}
    </div>
  );
}

/** What the catalogue says a TAC (the first 8 digits of an IMEI) is. */
function TacLookup() {
  const [tac, setTac] = useState("");
  const [result, setResult] = useState<
    { kind: "found"; entry: TacDto } | { kind: "missing"; tac: string } | null
  >(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <section class="card catalog__search" aria-labelledby="tac-lookup-title">
      <h2 id="tac-lookup-title" class="card__title">
        Look up a TAC
      </h2>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          const digits = tac.replace(/\s/g, "").slice(0, 8);
          setError(null);
          getTac(digits).then(
            (entry) => setResult({ kind: "found", entry }),
            (failure: unknown) => {
              const apiError = asApiError(failure);
              if (apiError.code === "not_found") {
                setResult({ kind: "missing", tac: digits });
              } else {
                setResult(null);
                setError(apiError);
              }
            },
          );
        }}
      >
        <div class="field field--compact">
          <label for="tac-lookup">TAC or IMEI</label>
          <input
            id="tac-lookup"
            inputMode="numeric"
            autoComplete="off"
            required
            pattern="[0-9 ]{8,20}"
            value={tac}
            onInput={(event) => setTac(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button button--secondary">
          Look up
        </button>
      </form>
      <div role="status" aria-live="polite">
        {result?.kind === "found" && (
          <p>
            <span class="mono">{result.entry.tac}</span> is{" "}
            <a href={consoleHref({ view: "model", id: result.entry.modelId })}>
              {result.entry.brand} {result.entry.model}
            </a>
            {result.entry.variantName !== null && <> ({result.entry.variantName})</>} ·{" "}
            {TAC_SOURCE_LABELS[result.entry.source]}
          </p>
        )}
        {result?.kind === "missing" && (
          <p>
            <span class="mono">{result.tac}</span> is not in the catalogue. Open its model and add
            it there.
          </p>
        )}
      </div>
      {error !== null && <ErrorMessage error={error} title="Could not look the TAC up" />}
    </section>
  );
}

function CreateModelForm() {
  const [brand, setBrand] = useState("");
  const [name, setName] = useState("");
  const [aka, setAka] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <section class="card" aria-labelledby="new-model-title">
      <h2 id="new-model-title" class="card__title">
        Add a model
      </h2>
      <form
        class="form-grid"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          createModel({ brand, name, aka: splitNames(aka) })
            .then(
              (model) => {
                window.location.hash = consoleHref({ view: "model", id: model.id });
              },
              (failure: unknown) => setError(asApiError(failure)),
            )
            .finally(() => setBusy(false));
        }}
      >
        <div class="field field--compact">
          <label for="new-model-brand">Brand</label>
          <input
            id="new-model-brand"
            required
            maxLength={CatalogLimits.brandMax}
            value={brand}
            aria-invalid={error?.detailFor("brand") !== undefined}
            onInput={(event) => setBrand(event.currentTarget.value)}
          />
        </div>
        <div class="field field--compact">
          <label for="new-model-name">Model</label>
          <input
            id="new-model-name"
            required
            maxLength={CatalogLimits.modelMax}
            value={name}
            aria-invalid={error?.detailFor("name") !== undefined}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </div>
        <div class="field field--compact form-grid__full">
          <label for="new-model-aka">Other names (comma-separated, optional)</label>
          <input
            id="new-model-aka"
            value={aka}
            onInput={(event) => setAka(event.currentTarget.value)}
          />
        </div>
        <FormFooter
          error={error}
          errorTitle="The model was not added"
          busy={busy}
          busyLabel="Adding…"
          submit="Add model"
        />
      </form>
    </section>
  );
}

/** "MI 4W, cancro" -> ["MI 4W", "cancro"]. */
export function splitNames(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}
