import { initialsOf } from "../features/tickets/format";

/** A person's initials in a circle; the full name is for screen readers and the tooltip. */
export function Avatar({ name, typing = false }: { name: string; typing?: boolean }) {
  return (
    <span class={typing ? "avatar avatar--typing" : "avatar"} title={name}>
      <span aria-hidden="true">{initialsOf(name)}</span>
      <span class="visually-hidden">{name}</span>
    </span>
  );
}
