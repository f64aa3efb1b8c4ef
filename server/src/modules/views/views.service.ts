import { randomUUID } from "node:crypto";
import type {
  SavedViewDto,
  SavedViewFiltersInput,
  UpdateViewInput,
} from "../../../../shared/contracts/http/views";
import { ViewLimits } from "../../../../shared/contracts/http/views";
import type { AuthUser } from "../../auth/principal";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { ConflictError, NotFoundError } from "../../errors/app-error";
import { SavedView } from "./saved-view.entity";

function present(view: SavedView): SavedViewDto {
  return {
    id: view.id,
    name: view.name,
    filters: view.filters,
    position: view.position,
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
  };
}

/**
 * Saved queue views, each agent's own: nobody sees, changes or deletes another agent's views
 * (they are 404 to them, like anything one may not see).
 */
export class ViewsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** The caller's views, in their order. */
  async list(user: AuthUser): Promise<SavedViewDto[]> {
    const views = await this.db.read((em) =>
      em
        .getRepository(SavedView)
        .find({ where: { agentId: user.id }, order: { position: "ASC", createdAt: "ASC" } }),
    );
    return views.map(present);
  }

  /** Saves a view at the end of the caller's list. */
  async create(
    user: AuthUser,
    input: { name: string; filters: SavedViewFiltersInput },
  ): Promise<SavedViewDto> {
    const now = this.clock.now();
    const view = await this.db.transaction(async (em) => {
      const repo = em.getRepository(SavedView);
      const count = await repo.countBy({ agentId: user.id });
      if (count >= ViewLimits.perAgent) {
        throw new ConflictError(`An agent keeps at most ${ViewLimits.perAgent} views`);
      }
      const row = repo.create({
        id: randomUUID(),
        agentId: user.id,
        name: input.name,
        filters: input.filters,
        position: count,
        createdAt: now,
        updatedAt: now,
      });
      await repo.insert(row);
      return row;
    });
    return present(view);
  }

  /** Renames, refilters or moves one of the caller's views. */
  async update(user: AuthUser, id: string, input: UpdateViewInput): Promise<SavedViewDto> {
    const now = this.clock.now();
    const view = await this.db.transaction(async (em) => {
      const repo = em.getRepository(SavedView);
      const current = await repo.findOneBy({ id, agentId: user.id });
      if (current === null) {
        throw new NotFoundError("View");
      }
      const next: SavedView = {
        ...current,
        name: input.name ?? current.name,
        filters: input.filters ?? current.filters,
        position: input.position ?? current.position,
        updatedAt: now,
      };
      await repo.save(next);
      return next;
    });
    return present(view);
  }

  /** Deletes one of the caller's views. */
  async remove(user: AuthUser, id: string): Promise<void> {
    const removed = await this.db.transaction(async (em) =>
      em.getRepository(SavedView).delete({ id, agentId: user.id }),
    );
    if (!removed.affected) {
      throw new NotFoundError("View");
    }
  }
}
