import { useEffect, useRef, useState } from "preact/hooks";
import type { UserDto } from "../../../../shared/contracts/http/tickets";
import { ROLES } from "../../../../shared/domain/enums";
import type { Role } from "../../../../shared/domain/enums";
import { Limits } from "../../../../shared/domain/limits";
import { createAgent, listAgents, updateAgent } from "../../api/agents";
import type { AgentChange } from "../../api/agents";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";
import { usePageTitle } from "../../components/usePageTitle";
import { ROLE_LABELS } from "../tickets/labels";

/** Admins: list agents, create one, change a role, disable or enable, reset a password. */
export function AdminPage({ user, onTeamChanged }: { user: UserDto; onTeamChanged: () => void }) {
  usePageTitle("Agents");
  const [agents, setAgents] = useState<UserDto[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
    const controller = new AbortController();
    listAgents(controller.signal).then(setAgents, (failure: unknown) => {
      if (!isAbortError(failure)) {
        setError(asApiError(failure));
      }
    });
    return () => controller.abort();
  }, []);

  const replace = (updated: UserDto) => {
    setAgents((current) =>
      current === null
        ? [updated]
        : current.map((agent) => (agent.id === updated.id ? updated : agent)),
    );
    onTeamChanged();
  };

  if (user.role !== "admin") {
    return (
      <>
        <h1>Agents</h1>
        <p>Only admins manage agents.</p>
      </>
    );
  }

  return (
    <div class="admin">
      <h1 ref={heading} tabIndex={-1}>
        Agents
      </h1>
      <p class="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      {error !== null && <ErrorMessage error={error} title="The agents could not load" />}
      <section class="card" aria-labelledby="agents-list-title">
        <h2 id="agents-list-title" class="card__title">
          Team
        </h2>
        {agents === null ? (
          error === null && <p role="status">Loading…</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {agents.map((agent) => (
                  <AgentRow
                    key={agent.id}
                    agent={agent}
                    self={agent.id === user.id}
                    onUpdated={(updated, message) => {
                      replace(updated);
                      setNotice(message);
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <CreateAgentForm
        onCreated={(created) => {
          setAgents((current) => [...(current ?? []), created]);
          setNotice(`${created.name} can now sign in.`);
          onTeamChanged();
        }}
      />
    </div>
  );
}

function AgentRow({
  agent,
  self,
  onUpdated,
}: {
  agent: UserDto;
  self: boolean;
  onUpdated: (agent: UserDto, message: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState("");

  const change = (patch: AgentChange, message: string, done?: () => void) => {
    setBusy(true);
    setError(null);
    updateAgent(agent.id, patch)
      .then(
        (updated) => {
          onUpdated(updated, message);
          done?.();
        },
        (failure: unknown) => setError(asApiError(failure)),
      )
      .finally(() => setBusy(false));
  };
  const roleId = `agent-role-${agent.id}`;
  const passwordId = `agent-password-${agent.id}`;

  return (
    <>
      <tr class={agent.disabled ? "table__row--muted" : undefined}>
        <td dir="auto">
          {agent.name}
          {self && <span class="muted"> (you)</span>}
        </td>
        <td dir="auto">{agent.email}</td>
        <td>
          <label class="visually-hidden" for={roleId}>
            Role of {agent.name}
          </label>
          <select
            id={roleId}
            value={agent.role}
            disabled={busy || self}
            onChange={(event) => {
              const role = event.currentTarget.value as Role;
              change({ role }, `${agent.name} is now ${ROLE_LABELS[role].toLowerCase()}.`);
            }}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        </td>
        <td>
          <span class={agent.disabled ? "badge badge--disabled" : "badge badge--active"}>
            {agent.disabled ? "Disabled" : "Active"}
          </span>
        </td>
        <td class="table__actions">
          <button
            type="button"
            class="button button--secondary button--small"
            disabled={busy || self}
            onClick={() =>
              change(
                { disabled: !agent.disabled },
                agent.disabled
                  ? `${agent.name} is enabled.`
                  : `${agent.name} is disabled and signed out.`,
              )
            }
          >
            {agent.disabled ? "Enable" : "Disable"}
          </button>{" "}
          <button
            type="button"
            class="button button--secondary button--small"
            aria-expanded={resetting}
            aria-controls={`${passwordId}-row`}
            disabled={busy}
            onClick={() => setResetting((value) => !value)}
          >
            Reset password
          </button>
        </td>
      </tr>
      {(resetting || error !== null) && (
        <tr id={`${passwordId}-row`}>
          <td colSpan={5}>
            {resetting && (
              <form
                class="inline-form"
                onSubmit={(event) => {
                  event.preventDefault();
                  change(
                    { password },
                    `${agent.name}'s password is reset; their sessions ended.`,
                    () => {
                      setPassword("");
                      setResetting(false);
                    },
                  );
                }}
              >
                <div class="field field--compact">
                  <label for={passwordId}>New password for {agent.name}</label>
                  <input
                    id={passwordId}
                    type="password"
                    autoComplete="new-password"
                    minLength={Limits.passwordMin}
                    maxLength={Limits.passwordMax}
                    required
                    value={password}
                    aria-describedby={`${passwordId}-hint`}
                    onInput={(event) => setPassword(event.currentTarget.value)}
                  />
                  <p id={`${passwordId}-hint`} class="muted field__hint">
                    At least {Limits.passwordMin} characters. Their other sessions end.
                  </p>
                </div>
                <div class="button-row">
                  <button type="submit" class="button button--small" disabled={busy}>
                    Set password
                  </button>
                  <button
                    type="button"
                    class="button button--secondary button--small"
                    onClick={() => {
                      setResetting(false);
                      setPassword("");
                    }}
                  >
                    Cancel
                  </button>
                </div>
              </form>
            )}
            {error !== null && (
              <ErrorMessage error={error} title={`Could not change ${agent.name}`} />
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function CreateAgentForm({ onCreated }: { onCreated: (agent: UserDto) => void }) {
  const empty = { name: "", email: "", password: "", role: "agent" as Role };
  const [values, setValues] = useState(empty);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const set = <K extends keyof typeof empty>(field: K, value: (typeof empty)[K]) =>
    setValues((current) => ({ ...current, [field]: value }));
  const fieldError = (path: string) => error?.detailFor(path);

  const text = (
    field: "name" | "email" | "password",
    label: string,
    type: string,
    autoComplete: string,
  ) => {
    const id = `new-agent-${field}`;
    const message = fieldError(field);
    return (
      <div class="field field--compact">
        <label for={id}>{label}</label>
        <input
          id={id}
          type={type}
          required
          autoComplete={autoComplete}
          value={values[field]}
          minLength={field === "password" ? Limits.passwordMin : undefined}
          aria-invalid={message !== undefined}
          aria-describedby={message !== undefined ? `${id}-error` : undefined}
          onInput={(event) => set(field, event.currentTarget.value)}
        />
        {message !== undefined && (
          <p id={`${id}-error`} class="field__error">
            {message}
          </p>
        )}
      </div>
    );
  };

  return (
    <section class="card" aria-labelledby="new-agent-title">
      <h2 id="new-agent-title" class="card__title">
        Add an agent
      </h2>
      <form
        class="form-grid"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          createAgent(values)
            .then(
              (created) => {
                setValues(empty);
                onCreated(created);
              },
              (failure: unknown) => setError(asApiError(failure)),
            )
            .finally(() => setBusy(false));
        }}
      >
        {text("name", "Name", "text", "off")}
        {text("email", "Email", "email", "off")}
        {text(
          "password",
          `Password (at least ${Limits.passwordMin} characters)`,
          "password",
          "new-password",
        )}
        <div class="field field--compact">
          <label for="new-agent-role">Role</label>
          <select
            id="new-agent-role"
            value={values.role}
            onChange={(event) => set("role", event.currentTarget.value as Role)}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        </div>
        {error !== null && (
          <div class="form-grid__full">
            <ErrorMessage error={error} title="The agent was not added" />
          </div>
        )}
        <div class="form-grid__full">
          <button type="submit" class="button" disabled={busy}>
            {busy ? "Adding…" : "Add agent"}
          </button>
        </div>
      </form>
    </section>
  );
}
