import { useEffect, useRef, useState } from "preact/hooks";
import { asApiError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { CopyLink } from "./CopyLink";
import { problemText } from "./errors";

type Stage =
  { step: "idle" } | { step: "confirm" } | { step: "working" } | { step: "done"; url: string };

/**
 * "Replace this link": asks first, then gets a new link from the server (the old one stops
 * working at once) and shows it; the page moves to the new address itself (`onReplace`).
 */
export function ReplaceLink({
  onReplace,
  onFailed,
}: {
  /** Replaces the link and switches the page to it; resolves to the new URL. */
  onReplace: () => Promise<string>;
  onFailed: (error: ApiError) => void;
}) {
  const [stage, setStage] = useState<Stage>({ step: "idle" });
  const [problem, setProblem] = useState<string | null>(null);
  const question = useRef<HTMLParagraphElement>(null);
  const done = useRef<HTMLParagraphElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (stage.step === "confirm") {
      question.current?.focus();
    } else if (stage.step === "done") {
      done.current?.focus();
    } else if (stage.step === "idle" && returnFocus.current) {
      returnFocus.current = false;
      start.current?.focus();
    }
  }, [stage.step]);

  const replace = () => {
    setStage({ step: "working" });
    setProblem(null);
    onReplace().then(
      (url) => setStage({ step: "done", url }),
      (failure: unknown) => {
        const error = asApiError(failure);
        setProblem(problemText(error));
        setStage({ step: "idle" });
        onFailed(error);
      },
    );
  };

  return (
    <section class="portal-card" aria-labelledby="link-heading">
      <h2 id="link-heading">Your private link</h2>
      <p>
        Anyone who has the link to this page can read and answer this ticket. If you shared it by
        mistake, replace it: the current link stops working at once.
      </p>
      {problem !== null && (
        <div class="alert alert--error" role="alert">
          <p>{problem}</p>
        </div>
      )}
      {stage.step === "done" && (
        <div class="alert alert--success portal-replaced">
          <p class="portal-focus-target" ref={done} tabIndex={-1}>
            Done: this page now has a new link. The old one no longer works, so save this one.
          </p>
          <CopyLink id="new-link-url" label="Your new link" url={stage.url} />
        </div>
      )}
      {(stage.step === "idle" || stage.step === "done") && (
        <button
          ref={start}
          type="button"
          class="button button--secondary"
          onClick={() => setStage({ step: "confirm" })}
        >
          Replace this link
        </button>
      )}
      {(stage.step === "confirm" || stage.step === "working") && (
        <div class="portal-confirm" role="group" aria-labelledby="link-question">
          <p id="link-question" class="portal-focus-target" ref={question} tabIndex={-1}>
            <strong>Replace the link now?</strong> The current link, including the one in our email,
            stops working at once. You get a new link to keep instead.
          </p>
          <div class="button-row">
            <button
              type="button"
              class="button"
              disabled={stage.step === "working"}
              onClick={replace}
            >
              {stage.step === "working" ? "Replacing…" : "Yes, replace it"}
            </button>
            <button
              type="button"
              class="button button--secondary"
              disabled={stage.step === "working"}
              onClick={() => {
                returnFocus.current = true;
                setStage({ step: "idle" });
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
