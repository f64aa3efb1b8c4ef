import type { Role } from "../../../shared/domain/enums";
import type { UserDto } from "../../../shared/contracts/http/tickets";

/** A signed-in agent as the request carries it (Passport's `req.user`). */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
}

declare global {
  // Passport types `req.user` as Express.User; ours is always an AuthUser.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AuthUser {}
  }
}

declare module "express-session" {
  interface SessionData {
    /** When the agent signed in (ms); the absolute session lifetime counts from here. */
    signedInAt?: number;
  }
}

export function presentUser(user: AuthUser): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabled: user.disabled,
  };
}
