import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type {
  CreateAgentRequest,
  UpdateAgentRequest,
} from "../../../../shared/contracts/http/auth";
import type { UserDto } from "../../../../shared/contracts/http/tickets";
import type { Role } from "../../../../shared/domain/enums";
import type { TypeormSessionStore } from "../../auth/session-store";
import { toAuthUser } from "../../auth/passport";
import { presentUser } from "../../auth/principal";
import type { AuthUser } from "../../auth/principal";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { ConflictError, NotFoundError, ValidationError } from "../../errors/app-error";
import type { Logger } from "../../logging/logger";
import { Agent } from "./agent.entity";
import { hashPassword, verifyPassword } from "./passwords";

/**
 * Runs a check of the current password under the sign-in throttle (see PasswordGuard): resolves
 * its answer, or throws 429 while the account or address must wait.
 */
export type PasswordCheckGuard = (verify: () => Promise<boolean>) => Promise<boolean>;

/** Managing agents (admins) and an agent's own password. */
export class AgentsService {
  constructor(
    private readonly db: Database,
    private readonly sessions: TypeormSessionStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async list(): Promise<UserDto[]> {
    const agents = await this.db.read((em) =>
      em.getRepository(Agent).find({ order: { name: "ASC", email: "ASC" } }),
    );
    return agents.map((agent) => presentUser(toAuthUser(agent)));
  }

  /** The active agents, for assignee pickers: names and roles only. */
  async team(): Promise<{ id: string; name: string; role: Role }[]> {
    const agents = await this.db.read((em) =>
      em.getRepository(Agent).find({
        where: { disabled: false },
        order: { name: "ASC", email: "ASC" },
        select: { id: true, name: true, role: true },
      }),
    );
    return agents.map(({ id, name, role }) => ({ id, name, role }));
  }

  async create(actor: AuthUser, input: z.output<typeof CreateAgentRequest>): Promise<UserDto> {
    const now = this.clock.now();
    const passwordHash = await hashPassword(input.password);
    const agent = await this.db.transaction(async (em) => {
      const repo = em.getRepository(Agent);
      if (await repo.existsBy({ email: input.email })) {
        throw new ConflictError("An agent with this email exists", [
          { path: "email", message: "is already taken" },
        ]);
      }
      const row = repo.create({
        id: randomUUID(),
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash,
        disabled: false,
        createdAt: now,
        updatedAt: now,
      });
      await repo.insert(row);
      return row;
    });
    this.logger.info("auth", "agent created", {
      actorId: actor.id,
      agentId: agent.id,
      role: agent.role,
    });
    return presentUser(toAuthUser(agent));
  }

  /**
   * Renames, changes the role, disables or re-enables, or sets a new password. Disabling or a new
   * password ends every session of that agent at once (but the admin's own current one).
   */
  async update(
    actor: AuthUser,
    id: string,
    input: z.output<typeof UpdateAgentRequest>,
    actorSessionKey: string,
  ): Promise<UserDto> {
    const now = this.clock.now();
    const passwordHash =
      input.password === undefined ? undefined : await hashPassword(input.password);
    const agent = await this.db.transaction(async (em) => {
      const repo = em.getRepository(Agent);
      const agent = await repo.findOneBy({ id });
      if (agent === null) {
        throw new NotFoundError("Agent");
      }
      const losesAdmin =
        agent.role === "admin" &&
        !agent.disabled &&
        (input.role === "agent" || input.disabled === true);
      if (losesAdmin) {
        const activeAdmins = await repo.countBy({ role: "admin", disabled: false });
        if (activeAdmins <= 1) {
          throw new ConflictError("The last active admin cannot be demoted or disabled", [
            {
              path: input.disabled === true ? "disabled" : "role",
              message: "would leave no admin",
            },
          ]);
        }
      }
      if (input.disabled === true && agent.id === actor.id) {
        throw new ValidationError("The request is not valid", [
          { path: "disabled", message: "you cannot disable yourself" },
        ]);
      }
      const changes: Partial<Agent> = { updatedAt: now };
      if (input.name !== undefined) {
        changes.name = input.name;
      }
      if (input.role !== undefined) {
        changes.role = input.role;
      }
      if (input.disabled !== undefined) {
        changes.disabled = input.disabled;
      }
      if (passwordHash !== undefined) {
        changes.passwordHash = passwordHash;
      }
      await repo.update({ id }, changes);
      return repo.findOneByOrFail({ id });
    });
    if (input.disabled === true || passwordHash !== undefined) {
      await this.sessions.destroyForAgent(id, id === actor.id ? actorSessionKey : null);
    }
    this.logger.info("auth", "agent updated", {
      actorId: actor.id,
      agentId: id,
      fields: Object.keys(input).filter((key) => key !== "password" || passwordHash !== undefined),
    });
    return presentUser(toAuthUser(agent));
  }

  /**
   * An agent's own password change; the current password must be right, and is checked under
   * `guard` so that a stolen session cannot guess it faster than a sign-in could.
   */
  async changeOwnPassword(
    user: AuthUser,
    currentPassword: string,
    newPassword: string,
    currentSessionKey: string,
    guard: PasswordCheckGuard,
  ): Promise<void> {
    const agent = await this.db.read((em) =>
      em
        .getRepository(Agent)
        .createQueryBuilder("agent")
        .addSelect("agent.passwordHash")
        .where("agent.id = :id", { id: user.id })
        .getOneOrFail(),
    );
    if (!(await guard(() => verifyPassword(agent.passwordHash, currentPassword)))) {
      throw new ValidationError("The request is not valid", [
        { path: "currentPassword", message: "is not your current password" },
      ]);
    }
    const passwordHash = await hashPassword(newPassword);
    await this.db.transaction((em) =>
      em
        .getRepository(Agent)
        .update({ id: user.id }, { passwordHash, updatedAt: this.clock.now() }),
    );
    await this.sessions.destroyForAgent(user.id, currentSessionKey);
    this.logger.info("auth", "password changed", { agentId: user.id });
  }
}
