import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** The folder of Greydesk's package.json, found from `from` upwards (works from src and dist). */
export function findPackageRoot(from: string): string {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, "package.json");
    if (existsSync(candidate)) {
      const name = (JSON.parse(readFileSync(candidate, "utf8")) as { name?: string }).name;
      if (name === "greydesk") {
        return dir;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`No greydesk package.json above ${from}`);
    }
    dir = parent;
  }
}
