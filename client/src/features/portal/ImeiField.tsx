import { useEffect, useMemo, useState } from "preact/hooks";
import {
  IMEI_INPUT_MAX_LENGTH,
  IMEI_WARNING_MESSAGES,
  normaliseImeiInput,
  parseImei,
} from "../../../../shared/domain/imei";
import type { ImeiResult } from "../../../../shared/domain/imei";
import { isAbortError } from "../../api/http";
import { lookupDevice } from "../../api/portal";
import type { DeviceLookup } from "../../api/portal";
import { FieldError } from "./Field";

const LOOKUP_DELAY_MS = 300;
const LEADING_TAC = /^[0-9]{8}/;

/** Answers already fetched, by normalised input: retyping a number asks the server once. */
const answers = new Map<string, DeviceLookup>();

/** What is known about the IMEI as typed: the local check at once, the server's lookup soon. */
export interface ImeiInsight {
  /** parseImei's verdict, computed on every keystroke. */
  local: ImeiResult;
  /** The server's answer for exactly this input, or null (not asked, or not answered yet). */
  lookup: DeviceLookup | null;
  /** A lookup for this input is on its way. */
  looking: boolean;
  /** The digits typed, separators removed. */
  digits: string;
}

/**
 * Checks an IMEI while it is typed: {@link parseImei} locally, and (debounced) the server's
 * lookup, which names the model from the TAC. The lookup starts once 8 digits are there.
 */
export function useImeiInsight(raw: string): ImeiInsight {
  const local = useMemo(() => parseImei(raw), [raw]);
  const digits = raw.length > IMEI_INPUT_MAX_LENGTH ? "" : normaliseImeiInput(raw);
  const key = LEADING_TAC.test(digits) ? digits : "";
  // The server's answer and the input it is for (lookup null: the lookup failed).
  const [answer, setAnswer] = useState<{ key: string; lookup: DeviceLookup | null } | null>(null);

  useEffect(() => {
    if (key === "") {
      return undefined;
    }
    const known = answers.get(key);
    if (known !== undefined) {
      setAnswer({ key, lookup: known });
      return undefined;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      lookupDevice(key, controller.signal).then(
        (lookup) => {
          if (answers.size > 50) {
            answers.clear();
          }
          answers.set(key, lookup);
          setAnswer({ key, lookup });
        },
        (error: unknown) => {
          // The local check still stands; the model simply stays unnamed.
          if (!isAbortError(error)) {
            setAnswer({ key, lookup: null });
          }
        },
      );
    }, LOOKUP_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key]);

  const answered = answer !== null && answer.key === key && key !== "";
  return {
    local,
    lookup: answered ? answer.lookup : null,
    looking: key !== "" && !answered,
    digits,
  };
}

/** "Xiaomi Redmi Note 3", or null when the lookup names no model. */
export function modelOf(lookup: DeviceLookup | null): string | null {
  if (lookup === null || (lookup.brand === undefined && lookup.model === undefined)) {
    return null;
  }
  return [lookup.brand, lookup.model].filter(Boolean).join(" ");
}

/**
 * The IMEI input with live feedback: whether it is valid, which check failed, the model its
 * TAC names, a test-range warning, and how to find the number. `error` (from the submit
 * check or the server) takes the place of the live verdict.
 */
export function ImeiField({
  id,
  value,
  onInput,
  insight,
  error,
}: {
  id: string;
  value: string;
  onInput: (value: string) => void;
  insight: ImeiInsight;
  error?: string;
}) {
  const [touched, setTouched] = useState(false);
  const { local, lookup, looking, digits } = insight;
  const blank = value.trim() === "";
  // While typing, a short number is not wrong yet: say why only once it is long enough to be
  // checked, has a character that can never be there, or the customer moved on.
  const showInvalid =
    !local.valid &&
    !blank &&
    (touched ||
      digits.length >= 15 ||
      local.reason === "not_digits" ||
      local.reason === "non_ascii_digits");
  const shownError = error ?? (showInvalid && !local.valid ? local.message : undefined);
  const model = modelOf(lookup);

  return (
    <div class={shownError !== undefined ? "portal-field portal-field--error" : "portal-field"}>
      <label for={id}>IMEI</label>
      <p id={`${id}-hint`} class="portal-hint">
        15 digits that identify your phone. Dial <strong>*#06#</strong> on it to see them.
      </p>
      <details class="portal-disclosure">
        <summary>How do I find it?</summary>
        <ul>
          <li>
            Open the phone app and dial <strong>*#06#</strong>: the IMEI appears on the screen.
          </li>
          <li>
            Look at the label on the phone's box, next to “IMEI”. Some phones also show it on the
            SIM tray.
          </li>
          <li>
            On the phone, open <strong>Settings → About phone</strong> (then “Status” or “All specs”
            on some phones).
          </li>
          <li>Dual-SIM phones show two IMEIs (IMEI1 and IMEI2): either one works.</li>
          <li>If the phone won't turn on, use the box label or your receipt.</li>
        </ul>
      </details>
      <input
        id={id}
        name="imei"
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellcheck={false}
        maxLength={IMEI_INPUT_MAX_LENGTH}
        value={value}
        aria-invalid={shownError !== undefined ? "true" : undefined}
        aria-describedby={`${id}-hint ${id}-feedback`}
        onInput={(event) => onInput(event.currentTarget.value)}
        onBlur={() => setTouched(true)}
      />
      <div id={`${id}-feedback`} class="portal-imei" aria-live="polite">
        <FieldError id={id} error={shownError} />
        {shownError === undefined && local.valid && (
          <p class="portal-imei__ok">
            <span aria-hidden="true">✓ </span>
            Valid IMEI{local.softwareVersion !== null ? ` ${local.imei}` : ""}.
          </p>
        )}
        {local.valid && local.softwareVersion !== null && (
          <p class="portal-hint">
            You typed 16 digits (an IMEISV, with the software version at the end): we will use the
            IMEI above.
          </p>
        )}
        {model !== null && (
          <p class="portal-imei__model">
            {local.valid
              ? `This looks like a ${model}.`
              : local.reason === "bad_check_digit"
                ? `The first 8 digits match a ${model}, so the typo is probably further on.`
                : `The first 8 digits match a ${model}.`}
          </p>
        )}
        {local.valid && lookup !== null && model === null && (
          <p class="portal-hint">
            We don't recognise the model from this number: please type the brand and model below.
          </p>
        )}
        {local.valid && local.wiped && (
          <p class="portal-imei__warning">{IMEI_WARNING_MESSAGES.wiped}</p>
        )}
        {(local.valid ? local.testRange && !local.wiped : lookup?.testRange === true) && (
          <p class="portal-imei__warning">{IMEI_WARNING_MESSAGES.test_range}</p>
        )}
      </div>
      {!blank && shownError === undefined && !local.valid && (
        <p class="portal-hint" aria-hidden="true">
          {Math.min(digits.length, 99)} of 15 digits
        </p>
      )}
      {local.valid && looking && <p class="portal-hint">Looking up the model…</p>}
    </div>
  );
}
