import { randomBytes, randomUUID } from "node:crypto";
import type { Database } from "../../db/database";
import { Agent } from "./agent.entity";
import { hashPassword } from "./passwords";

export interface BootstrapResult {
  email: string;
  /** Set only when the password was generated: the one time it is ever shown. */
  generatedPassword: string | null;
}

/**
 * On a first start with no agents at all, creates the first admin: from the configured email and
 * password, or `admin@localhost` with a random password. Does nothing once any agent exists.
 */
export async function bootstrapAdmin(
  db: Database,
  configured: { email: string; password: string } | null,
  now: Date,
): Promise<BootstrapResult | null> {
  const generatedPassword = configured ? null : randomBytes(18).toString("base64url");
  const email = configured?.email ?? "admin@localhost";
  const passwordHash = await hashPassword(configured?.password ?? generatedPassword!);
  return db.transaction(async (em) => {
    if ((await em.getRepository(Agent).count()) > 0) {
      return null;
    }
    await em.getRepository(Agent).insert({
      id: randomUUID(),
      email,
      name: "Administrator",
      role: "admin",
      passwordHash,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    return { email, generatedPassword };
  });
}
