import { z } from "zod";
import { emailField } from "./common";

/** `POST /api/portal/sign-in-link`: always 202, known address or not. */
export const SignInLinkRequest = z.strictObject({ email: emailField });

/** `POST /api/portal/sign-in/:token`: the emailed link's token (43 base64url characters). */
export const SignInTokenParams = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
