import { Passport } from "passport";
import { Strategy as LocalStrategy } from "passport-local";
import type { Database } from "../db/database";
import { Agent } from "../modules/agents/agent.entity";
import { decoyHash, verifyPassword } from "../modules/agents/passwords";
import type { AuthUser } from "./principal";

export function toAuthUser(agent: Agent): AuthUser {
  return {
    id: agent.id,
    email: agent.email,
    name: agent.name,
    role: agent.role,
    disabled: agent.disabled,
  };
}

/**
 * One Passport per app instance (the global singleton would keep the serializers, and so the
 * database, of the first app created in the process). Local strategy on email + password; the session holds the agent id and
 * every request reloads the agent, so a disabled agent is signed out at their next request.
 */
/** A Passport of our own (not the global singleton). */
export type PassportInstance = InstanceType<typeof Passport>;

export function createPassport(db: Database): PassportInstance {
  const passport = new Passport();
  passport.use(
    new LocalStrategy(
      { usernameField: "email", passwordField: "password" },
      (email, password, done) => {
        db.read((em) =>
          em
            .getRepository(Agent)
            .createQueryBuilder("agent")
            .addSelect("agent.passwordHash")
            .where("agent.email = :email", { email: email.trim().toLowerCase() })
            .getOne(),
        )
          .then(async (agent) => {
            // Unknown and disabled accounts cost one hash check too: the answer's timing says nothing.
            if (agent === null || agent.disabled) {
              await verifyPassword(await decoyHash(), password);
              return done(null, false);
            }
            const ok = await verifyPassword(agent.passwordHash, password);
            return done(null, ok ? toAuthUser(agent) : false);
          })
          .catch((error: unknown) => done(error));
      },
    ),
  );
  passport.serializeUser<string>((user, done) => done(null, user.id));
  passport.deserializeUser<string>((id, done) => {
    db.read((em) => em.getRepository(Agent).findOneBy({ id }))
      .then((agent) => done(null, agent && !agent.disabled ? toAuthUser(agent) : false))
      .catch((error: unknown) => done(error));
  });
  return passport;
}
