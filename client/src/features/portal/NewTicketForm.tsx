import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { PortalCreateTicketResponse } from "../../../../shared/contracts/http/portal";
import { CATEGORIES } from "../../../../shared/domain/enums";
import type { Category } from "../../../../shared/domain/enums";
import { Limits } from "../../../../shared/domain/limits";
import { isIsoDate } from "../../../../shared/domain/warranty";
import { asApiError } from "../../api/http";
import { createPortalTicket } from "../../api/portal";
import type { PortalTicketFields } from "../../api/portal";
import { Field, FieldError, describedBy } from "./Field";
import { FilePicker, usePickedFiles } from "./FilePicker";
import { ImeiField, useImeiInsight } from "./ImeiField";
import type { ImeiInsight } from "./ImeiField";
import { detailsByField, focusControl, problemText } from "./errors";
import type { SummaryItem } from "./errors";
import { readStored, removeStored, storedStrings, writeStored } from "./storage";
import { CATEGORY_CHOICES } from "./words";

/** Where the form's text survives a reload (the tab's sessionStorage; files cannot). */
const DRAFT_KEY = "greydesk.portal.draft";

const TEXT_FIELDS = [
  "name",
  "email",
  "phone",
  "imei",
  "brand",
  "model",
  "purchaseDate",
  "subject",
  "description",
] as const;
type TextField = (typeof TEXT_FIELDS)[number];

interface Draft extends Record<TextField, string> {
  category: Category | "";
  /** The brand and model last filled in from the IMEI: replaced while the customer keeps them. */
  autoBrand: string;
  autoModel: string;
}

type FieldName = TextField | "category" | "attachments";
type Errors = Partial<Record<FieldName, string>>;

/** How errors name each field (the API's messages are "must be ..."). */
const ERROR_LABELS: Record<FieldName, string> = {
  name: "Your name",
  email: "Email",
  phone: "Phone",
  imei: "The IMEI",
  brand: "Brand",
  model: "Model",
  purchaseDate: "The purchase date",
  category: "The category",
  subject: "The subject",
  description: "The description",
  attachments: "Attachments",
};

/** The order errors are listed in: the order of the form. */
const FIELD_ORDER: readonly FieldName[] = [
  "name",
  "email",
  "phone",
  "imei",
  "brand",
  "model",
  "purchaseDate",
  "category",
  "subject",
  "description",
  "attachments",
];

const idOf = (field: FieldName) => `nt-${field}`;

function emptyDraft(): Draft {
  return {
    name: "",
    email: "",
    phone: "",
    imei: "",
    brand: "",
    model: "",
    purchaseDate: "",
    category: "",
    subject: "",
    description: "",
    autoBrand: "",
    autoModel: "",
  };
}

function restoreDraft(): Draft {
  const stored = storedStrings(readStored(DRAFT_KEY));
  const draft = emptyDraft();
  for (const field of TEXT_FIELDS) {
    draft[field] = stored[field] ?? "";
  }
  draft.autoBrand = stored.autoBrand ?? "";
  draft.autoModel = stored.autoModel ?? "";
  const category = stored.category ?? "";
  draft.category = (CATEGORIES as readonly string[]).includes(category)
    ? (category as Category)
    : "";
  return draft;
}

const length = (value: string) => [...value].length;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PHONE = /^\+?[0-9 ().-]{5,32}$/;

function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The checks the browser can make at once; the server makes them again (and decides). */
function validate(draft: Draft, insight: ImeiInsight): Errors {
  const errors: Errors = {};
  const name = draft.name.trim();
  if (name === "") {
    errors.name = "Enter your name.";
  } else if (length(name) > Limits.nameMax) {
    errors.name = `Your name can be at most ${Limits.nameMax} characters.`;
  }
  const email = draft.email.trim();
  if (email === "") {
    errors.email = "Enter your email address: we use it to tell you about replies.";
  } else if (!EMAIL.test(email) || length(email) > Limits.emailMax) {
    errors.email = "Enter an email address like name@example.com.";
  }
  const phone = draft.phone.trim();
  if (phone !== "" && !PHONE.test(phone)) {
    errors.phone =
      "Enter a phone number with digits, spaces and + - . ( ) only, or leave it empty.";
  }
  if (!insight.local.valid) {
    errors.imei = insight.local.message;
  }
  if (length(draft.brand.trim()) > Limits.brandMax) {
    errors.brand = `The brand can be at most ${Limits.brandMax} characters.`;
  }
  if (length(draft.model.trim()) > Limits.modelMax) {
    errors.model = `The model can be at most ${Limits.modelMax} characters.`;
  }
  if (draft.purchaseDate !== "") {
    if (!isIsoDate(draft.purchaseDate)) {
      errors.purchaseDate = "Enter the purchase date as a day, month and year.";
    } else if (draft.purchaseDate > todayIso()) {
      errors.purchaseDate = "The purchase date can't be in the future.";
    }
  }
  if (draft.category === "") {
    errors.category = "Choose what the problem is about.";
  }
  const subject = draft.subject.trim();
  if (subject === "") {
    errors.subject = "Enter a subject: a few words about the problem.";
  } else if (length(subject) > Limits.subjectMax) {
    errors.subject = `The subject can be at most ${Limits.subjectMax} characters.`;
  }
  const description = draft.description.trim();
  if (description === "") {
    errors.description = "Describe the problem.";
  } else if (length(description) > Limits.descriptionMax) {
    errors.description = `The description can be at most ${Limits.descriptionMax} characters.`;
  }
  return errors;
}

function fieldsOf(draft: Draft, category: Category): PortalTicketFields {
  const optional = (value: string) => (value.trim() === "" ? undefined : value.trim());
  return {
    name: draft.name.trim(),
    email: draft.email.trim(),
    phone: optional(draft.phone),
    imei: draft.imei.trim(),
    brand: optional(draft.brand),
    model: optional(draft.model),
    purchaseDate: optional(draft.purchaseDate),
    category,
    subject: draft.subject.trim(),
    description: draft.description.trim(),
  };
}

/** The control an error link focuses: the field, or the chosen (else the first) category. */
function targetOf(field: FieldName, draft: Draft): string {
  if (field === "category") {
    return `${idOf("category")}-${draft.category === "" ? CATEGORIES[0] : draft.category}`;
  }
  return idOf(field);
}

/**
 * `/portal`'s form: who the customer is, which phone (IMEI with live feedback, brand and model
 * from its TAC), what is wrong, and up to five files. It never loses what was typed: the state
 * stays on any error, and the text is kept in sessionStorage until the ticket is open.
 */
export function NewTicketForm({
  onOpened,
}: {
  onOpened: (answer: PortalCreateTicketResponse, email: string) => void;
}) {
  const [draft, setDraft] = useState<Draft>(restoreDraft);
  const [files, updateFiles, clearFiles] = usePickedFiles();
  const [errors, setErrors] = useState<Errors>({});
  const [fileErrors, setFileErrors] = useState<Record<number, string>>({});
  const [problem, setProblem] = useState<{ title: string; items: SummaryItem[] } | null>(null);
  const [sending, setSending] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const summary = useRef<HTMLDivElement>(null);
  const insight = useImeiInsight(draft.imei);

  // Saved as the change is committed, before the page can show it: a plain effect runs only
  // after the next frame, so a reload right after the IMEI lookup filled the model (or after a
  // keystroke) brought back the draft without it, and the held-up lookup left the field empty.
  useLayoutEffect(() => writeStored(DRAFT_KEY, draft), [draft]);

  // Brand and model from the IMEI's TAC, unless the customer typed their own.
  const lookup = insight.lookup;
  useEffect(() => {
    if (lookup === null) {
      return;
    }
    setDraft((current) => {
      let next = current;
      const brand = lookup.brand ?? "";
      const model = lookup.model ?? "";
      if (
        (current.brand.trim() === "" || current.brand === current.autoBrand) &&
        current.brand !== brand
      ) {
        next = { ...next, brand, autoBrand: brand };
      }
      if (
        (current.model.trim() === "" || current.model === current.autoModel) &&
        current.model !== model
      ) {
        next = { ...next, model, autoModel: model };
      }
      return next;
    });
  }, [lookup]);

  useEffect(() => {
    if (problem !== null) {
      summary.current?.focus();
    }
  }, [problem]);

  const set = (field: TextField | "category", value: string) => {
    setDraft((current) => ({ ...current, [field]: value }));
    if (errors[field] !== undefined) {
      setErrors(({ [field]: _fixed, ...rest }) => rest);
    }
  };

  const updateAttachments = (update: (previous: typeof files) => typeof files) => {
    updateFiles(update);
    setFileErrors({});
    if (errors.attachments !== undefined) {
      setErrors(({ attachments: _fixed, ...rest }) => rest);
    }
  };

  const showProblem = (found: Errors, files: Record<number, string>, other: string[]) => {
    const items: SummaryItem[] = FIELD_ORDER.flatMap((field) => {
      const text = found[field];
      return text === undefined ? [] : [{ target: targetOf(field, draft), text }];
    });
    for (const [index, text] of Object.entries(files)) {
      items.push({ target: idOf("attachments"), text: `File ${Number(index) + 1}: ${text}` });
    }
    for (const text of other) {
      items.push({ target: null, text });
    }
    setProblem({ title: "There is a problem", items });
  };

  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (sending) {
      return;
    }
    const found = validate(draft, insight);
    if (Object.keys(found).length > 0 || draft.category === "") {
      setErrors(found);
      setFileErrors({});
      showProblem(found, {}, []);
      return;
    }
    setSending(true);
    setProgress(null);
    setProblem(null);
    createPortalTicket(
      fieldsOf(draft, draft.category),
      files.map((picked) => picked.file),
      {
        onProgress:
          files.length > 0
            ? (sent, total) => setProgress(Math.round((sent / total) * 100))
            : undefined,
      },
    ).then(
      (answer) => {
        removeStored(DRAFT_KEY);
        clearFiles();
        onOpened(answer, draft.email.trim());
      },
      (failure: unknown) => {
        const error = asApiError(failure);
        setSending(false);
        setProgress(null);
        const { fields, files: perFile, other } = detailsByField(error, ERROR_LABELS);
        if (error.code === "payload_too_large") {
          fields.attachments ??= "A file is too large: each file can be at most 10 MB.";
        }
        setErrors(fields);
        setFileErrors(perFile);
        if (Object.keys(fields).length > 0 || Object.keys(perFile).length > 0) {
          showProblem(fields, perFile, other);
        } else {
          setProblem({
            title: "Your ticket was not sent",
            items: [problemText(error), ...other].map((text) => ({ target: null, text })),
          });
        }
      },
    );
  };

  const autoHint = (value: string, auto: string) =>
    value !== "" && value === auto
      ? "Filled in from the IMEI: change it if it's wrong."
      : undefined;
  const brandHint = autoHint(draft.brand, draft.autoBrand);
  const modelHint = autoHint(draft.model, draft.autoModel);

  return (
    <form class="portal-form" noValidate onSubmit={onSubmit} aria-describedby="nt-required-note">
      {problem !== null && (
        <div ref={summary} class="portal-error-summary" role="alert" tabIndex={-1}>
          <h2 class="portal-error-summary__title">{problem.title}</h2>
          <ul>
            {problem.items.map((item, index) => (
              <li key={`${item.target ?? ""}:${index}`}>
                {item.target === null ? (
                  item.text
                ) : (
                  <a
                    href={`#${item.target}`}
                    onClick={(event) => {
                      event.preventDefault();
                      focusControl(item.target!);
                    }}
                  >
                    {item.text}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      <p id="nt-required-note" class="portal-hint">
        All fields are needed unless marked optional.
      </p>

      <section class="portal-section" aria-labelledby="nt-about-you">
        <h2 id="nt-about-you">About you</h2>
        <Field id={idOf("name")} label="Your name" error={errors.name}>
          <input
            id={idOf("name")}
            name="name"
            type="text"
            autoComplete="name"
            maxLength={Limits.nameMax}
            value={draft.name}
            aria-invalid={errors.name !== undefined ? "true" : undefined}
            aria-describedby={describedBy(idOf("name"), false, errors.name) || undefined}
            onInput={(event) => set("name", event.currentTarget.value)}
          />
        </Field>
        <Field
          id={idOf("email")}
          label="Email"
          hint="We use it only about this ticket."
          error={errors.email}
        >
          <input
            id={idOf("email")}
            name="email"
            type="email"
            autoComplete="email"
            inputMode="email"
            spellcheck={false}
            maxLength={Limits.emailMax}
            value={draft.email}
            aria-invalid={errors.email !== undefined ? "true" : undefined}
            aria-describedby={describedBy(idOf("email"), true, errors.email)}
            onInput={(event) => set("email", event.currentTarget.value)}
          />
        </Field>
        <Field id={idOf("phone")} label="Phone" optional error={errors.phone}>
          <input
            id={idOf("phone")}
            name="phone"
            type="tel"
            autoComplete="tel"
            maxLength={Limits.phoneMax}
            value={draft.phone}
            aria-invalid={errors.phone !== undefined ? "true" : undefined}
            aria-describedby={describedBy(idOf("phone"), false, errors.phone) || undefined}
            onInput={(event) => set("phone", event.currentTarget.value)}
          />
        </Field>
      </section>

      <section class="portal-section" aria-labelledby="nt-your-phone">
        <h2 id="nt-your-phone">Your phone</h2>
        <ImeiField
          id={idOf("imei")}
          value={draft.imei}
          insight={insight}
          error={errors.imei}
          onInput={(value) => set("imei", value)}
        />
        <div class="portal-pair">
          <Field id={idOf("brand")} label="Brand" hint={brandHint} error={errors.brand}>
            <input
              id={idOf("brand")}
              name="brand"
              type="text"
              autoComplete="off"
              maxLength={Limits.brandMax}
              value={draft.brand}
              aria-invalid={errors.brand !== undefined ? "true" : undefined}
              aria-describedby={
                describedBy(idOf("brand"), brandHint !== undefined, errors.brand) || undefined
              }
              onInput={(event) => set("brand", event.currentTarget.value)}
            />
          </Field>
          <Field id={idOf("model")} label="Model" hint={modelHint} error={errors.model}>
            <input
              id={idOf("model")}
              name="model"
              type="text"
              autoComplete="off"
              maxLength={Limits.modelMax}
              value={draft.model}
              aria-invalid={errors.model !== undefined ? "true" : undefined}
              aria-describedby={
                describedBy(idOf("model"), modelHint !== undefined, errors.model) || undefined
              }
              onInput={(event) => set("model", event.currentTarget.value)}
            />
          </Field>
        </div>
        <Field
          id={idOf("purchaseDate")}
          label="Purchase date"
          optional
          hint="Roughly is fine: it helps us check the warranty."
          error={errors.purchaseDate}
        >
          <input
            id={idOf("purchaseDate")}
            name="purchaseDate"
            type="date"
            max={todayIso()}
            value={draft.purchaseDate}
            aria-invalid={errors.purchaseDate !== undefined ? "true" : undefined}
            aria-describedby={describedBy(idOf("purchaseDate"), true, errors.purchaseDate)}
            onInput={(event) => set("purchaseDate", event.currentTarget.value)}
          />
        </Field>
      </section>

      <section class="portal-section" aria-labelledby="nt-problem">
        <h2 id="nt-problem">The problem</h2>
        <fieldset
          class={
            errors.category !== undefined ? "portal-choices portal-field--error" : "portal-choices"
          }
          aria-describedby={errors.category !== undefined ? `${idOf("category")}-error` : undefined}
        >
          <legend>What is it about?</legend>
          <FieldError id={idOf("category")} error={errors.category} />
          {CATEGORY_CHOICES.map((choice) => {
            const id = `${idOf("category")}-${choice.value}`;
            return (
              <div key={choice.value} class="portal-choice">
                <input
                  id={id}
                  type="radio"
                  name="category"
                  value={choice.value}
                  checked={draft.category === choice.value}
                  aria-describedby={`${id}-hint`}
                  onChange={() => set("category", choice.value)}
                />
                <label for={id} class="portal-choice__label">
                  {choice.label}
                </label>
                <span id={`${id}-hint`} class="portal-choice__hint">
                  {choice.hint}
                </span>
              </div>
            );
          })}
        </fieldset>
        <Field
          id={idOf("subject")}
          label="Subject"
          hint="A few words, like “No 4G since I got it”."
          error={errors.subject}
        >
          <input
            id={idOf("subject")}
            name="subject"
            type="text"
            autoComplete="off"
            maxLength={Limits.subjectMax}
            value={draft.subject}
            dir="auto"
            aria-invalid={errors.subject !== undefined ? "true" : undefined}
            aria-describedby={describedBy(idOf("subject"), true, errors.subject)}
            onInput={(event) => set("subject", event.currentTarget.value)}
          />
        </Field>
        <Field
          id={idOf("description")}
          label="What's wrong?"
          hint="What happens, since when, and what you have tried. Include any message the phone shows."
          error={errors.description}
        >
          <textarea
            id={idOf("description")}
            name="description"
            rows={6}
            value={draft.description}
            dir="auto"
            aria-invalid={errors.description !== undefined ? "true" : undefined}
            aria-describedby={describedBy(idOf("description"), true, errors.description)}
            onInput={(event) => set("description", event.currentTarget.value)}
          />
        </Field>
        <FilePicker
          id={idOf("attachments")}
          label="Photos, screenshots or PDFs"
          hint="Up to 5 files, 10 MB each: JPEG, PNG, GIF, WebP, HEIC or PDF. A photo of the box label or of the damage helps."
          files={files}
          onFilesChange={updateAttachments}
          error={errors.attachments}
          fileErrors={fileErrors}
          disabled={sending}
        />
      </section>

      <div class="portal-submit">
        <button type="submit" class="button portal-button-wide" disabled={sending}>
          {sending ? "Sending…" : "Open ticket"}
        </button>
        <p class="portal-hint" role="status" aria-live="polite">
          {sending &&
            (progress !== null && progress < 100
              ? `Uploading your files: ${progress}%`
              : "Sending your ticket…")}
        </p>
      </div>
    </form>
  );
}
