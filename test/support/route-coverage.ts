/**
 * Routes the integration suite never answers successfully, so their response schema is not
 * checked against a real answer. Keep it short: a route leaves the list when a test calls it
 * (the root hook in hooks.ts fails the run on a stale entry, and on a route missing from both).
 */
export const ROUTES_NOT_CALLED: readonly string[] = [];
