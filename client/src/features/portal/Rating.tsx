import { useEffect, useRef, useState } from "preact/hooks";
import type { PortalTicketView } from "../../../../shared/contracts/http/portal";
import type { Satisfaction } from "../../../../shared/domain/enums";
import { Limits } from "../../../../shared/domain/limits";
import { asApiError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { ratePortalTicket } from "../../api/portal";
import { problemText } from "./errors";

const RATING_WORDS: Record<Satisfaction, string> = {
  good: "Good: I'm satisfied",
  bad: "Bad: I'm not satisfied",
};

/**
 * The one-click satisfaction rating of a resolved ticket: an optional comment, then Good or
 * Bad (one click sends it). Once given, a thank-you that shows it.
 */
export function Rating({
  token,
  satisfaction,
  canRate,
  onRated,
  onFailed,
}: {
  token: string;
  satisfaction: PortalTicketView["satisfaction"];
  canRate: boolean;
  onRated: (rating: Satisfaction, comment: string | null) => void;
  onFailed: (error: ApiError) => void;
}) {
  const [comment, setComment] = useState("");
  const [sending, setSending] = useState<Satisfaction | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const thanks = useRef<HTMLHeadingElement>(null);
  const justRated = useRef(false);

  useEffect(() => {
    if (satisfaction !== null && justRated.current) {
      justRated.current = false;
      thanks.current?.focus();
    }
  }, [satisfaction]);

  if (satisfaction !== null) {
    return (
      <section class="portal-card portal-rating portal-rating--done" aria-labelledby="rating-done">
        <h2 id="rating-done" class="portal-focus-target" ref={thanks} tabIndex={-1}>
          Thank you for your feedback
        </h2>
        <p>
          You rated this ticket:{" "}
          <strong class={`portal-rating__given portal-rating__given--${satisfaction.rating}`}>
            {satisfaction.rating === "good" ? "Good" : "Bad"}
          </strong>
        </p>
        {satisfaction.comment !== null && satisfaction.comment !== "" && (
          <blockquote class="portal-rating__comment" dir="auto">
            {satisfaction.comment}
          </blockquote>
        )}
      </section>
    );
  }
  if (!canRate) {
    return null;
  }

  const rate = (rating: Satisfaction) => {
    if (sending !== null) {
      return;
    }
    if ([...comment.trim()].length > Limits.messageMax) {
      setProblem(`The comment can be at most ${Limits.messageMax} characters.`);
      return;
    }
    setSending(rating);
    setProblem(null);
    ratePortalTicket(token, rating, comment).then(
      () => {
        setSending(null);
        justRated.current = true;
        onRated(rating, comment.trim() === "" ? null : comment.trim());
      },
      (failure: unknown) => {
        const error = asApiError(failure);
        setSending(null);
        setProblem(problemText(error));
        if (error.code === "conflict" || error.code === "not_found") {
          onFailed(error);
        }
      },
    );
  };

  return (
    <section class="portal-card portal-rating" aria-labelledby="rating-heading">
      <h2 id="rating-heading">How did we do?</h2>
      <p>Your ticket is resolved. One click tells us whether we helped.</p>
      {problem !== null && (
        <div class="alert alert--error" role="alert">
          <p>{problem}</p>
        </div>
      )}
      <div class="portal-field">
        <label for="rating-comment">
          Comment<span class="portal-optional"> (optional, write it before you click)</span>
        </label>
        <textarea
          id="rating-comment"
          rows={2}
          dir="auto"
          value={comment}
          onInput={(event) => setComment(event.currentTarget.value)}
        />
      </div>
      <div class="button-row portal-rating__buttons">
        {(["good", "bad"] as const).map((rating) => (
          <button
            key={rating}
            type="button"
            class={`button portal-rate portal-rate--${rating}`}
            aria-label={RATING_WORDS[rating]}
            disabled={sending !== null}
            onClick={() => rate(rating)}
          >
            {rating === "good" ? "Good" : "Bad"}
          </button>
        ))}
      </div>
    </section>
  );
}
