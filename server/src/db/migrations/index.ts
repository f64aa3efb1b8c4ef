import { Foundation1764000000000 } from "./1764000000000-Foundation";
import { Sessions1764000000001 } from "./1764000000001-Sessions";

/** Every migration, oldest first. The same list runs on SQLite and PostgreSQL. */
export const migrations = [Foundation1764000000000, Sessions1764000000001];
