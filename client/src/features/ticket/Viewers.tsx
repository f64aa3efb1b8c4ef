import type { Viewer } from "../../../../shared/contracts/realtime";
import { Avatar } from "../../components/Avatar";

function listOf(names: readonly string[]): string {
  return names.length <= 1
    ? (names[0] ?? "")
    : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** Who else is on this ticket, and who of them is typing (announced politely). */
export function Viewers({ viewers, userId }: { viewers: readonly Viewer[]; userId: string }) {
  const others = viewers.filter((viewer) => viewer.userId !== userId);
  const typing = others.filter((viewer) => viewer.typing).map((viewer) => viewer.name);
  return (
    <div class="viewers">
      {others.length > 0 && (
        <>
          <span class="viewers__label">Also here:</span>
          <ul class="viewers__list" aria-label="Also viewing this ticket">
            {others.map((viewer) => (
              <li key={viewer.userId}>
                <Avatar name={viewer.name} typing={viewer.typing} />
              </li>
            ))}
          </ul>
        </>
      )}
      <p class="viewers__typing" aria-live="polite">
        {typing.length === 0
          ? ""
          : `${listOf(typing)} ${typing.length === 1 ? "is" : "are"} typing…`}
      </p>
    </div>
  );
}
