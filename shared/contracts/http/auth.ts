import { z } from "zod";
import { ROLES } from "../../domain/enums";
import { Limits } from "../../domain/limits";
import { textField } from "../../domain/text";
import { emailField } from "./common";
import { UserDto } from "./tickets";

/** A password as set: long enough, not absurdly long (hashing cost), any characters. */
export const newPasswordField = z
  .string({ error: "must be text" })
  .min(Limits.passwordMin, `must be at least ${Limits.passwordMin} characters`)
  .max(Limits.passwordMax, `must be at most ${Limits.passwordMax} characters`);

/** `POST /api/auth/login`. */
export const LoginRequest = z.object({
  email: z.string({ error: "must be text" }).trim().min(1, "is required").max(Limits.emailMax),
  password: z.string({ error: "must be text" }).min(1, "is required").max(Limits.passwordMax),
});

/** `POST /api/auth/password`: an agent changes their own password. */
export const ChangePasswordRequest = z.strictObject({
  currentPassword: z
    .string({ error: "must be text" })
    .min(1, "is required")
    .max(Limits.passwordMax),
  newPassword: newPasswordField,
});

/** `POST /api/agents` (admins). */
export const CreateAgentRequest = z.strictObject({
  email: emailField,
  name: textField({ max: Limits.nameMax }),
  password: newPasswordField,
  role: z.enum(ROLES, { error: "must be admin or agent" }),
});

/** `PATCH /api/agents/:id` (admins). */
export const UpdateAgentRequest = z
  .strictObject({
    name: textField({ max: Limits.nameMax }).optional(),
    role: z.enum(ROLES, { error: "must be admin or agent" }).optional(),
    disabled: z.boolean({ error: "must be true or false" }).optional(),
    password: newPasswordField.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "name at least one field to change",
  });

/** `GET /api/auth/csrf`: the token to send as X-CSRF-Token on unsafe requests. */
export const CsrfResponse = z.strictObject({ token: z.string() });
export type CsrfResponse = z.output<typeof CsrfResponse>;

/** `POST /api/auth/login`: who signed in, and the session's CSRF token. */
export const LoginResponse = z.strictObject({ user: UserDto, csrfToken: z.string() });
export type LoginResponse = z.output<typeof LoginResponse>;

/** Request bodies as a client sends them. */
export type LoginBody = z.input<typeof LoginRequest>;
export type CreateAgentBody = z.input<typeof CreateAgentRequest>;
export type UpdateAgentBody = z.input<typeof UpdateAgentRequest>;
