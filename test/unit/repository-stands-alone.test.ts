import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";

/**
 * A clone of the repository must be enough to follow every pointer in it: code, comments and docs
 * point at docs/, never at the team's notes beside the repository (their names are built here
 * from parts, so this file does not name them itself). CI's own script (.ci/) is left out.
 */
const ROOT = path.resolve(__dirname, "../..");
const NOTES = ["PRODUCT", "DOMAIN", "SECURITY", "STACK", "STYLE"];
const NOTE_NAME = new RegExp(String.raw`\b(${NOTES.join("|")})\.md\b`, "gi");
// A relative path through a folder named shared, as in an import or a pointer at the notes.
const SHARED_PATH = new RegExp(String.raw`((?:\.\.[/\\])+)shared\b([\w./-]*)`, "g");

function trackedFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" });
  return out.split("\0").filter((file) => file !== "" && !file.startsWith(".ci/"));
}

/** The tracked files, and the folders that hold them. */
interface Tree {
  files: ReadonlySet<string>;
  dirs: ReadonlySet<string>;
}

function treeOf(files: readonly string[]): Tree {
  return { files: new Set(files), dirs: new Set(files.flatMap((file) => ancestors(file))) };
}

/** What in `text` (the content of `file`) points outside the repository, as `file:line: why`. */
function outsidePointers(file: string, text: string, tree: Tree): string[] {
  const found: string[] = [];
  const at = (index: number) => `${file}:${text.slice(0, index).split("\n").length}`;
  for (const match of text.matchAll(NOTE_NAME)) {
    const name = match[0];
    const ours = text.slice(0, match.index).endsWith("docs/") && tree.files.has(`docs/${name}`);
    if (!ours) {
      found.push(`${at(match.index)}: names ${name} (point at a file in docs/ instead)`);
    }
  }
  for (const match of text.matchAll(SHARED_PATH)) {
    const rest = match[2].replace(/[./]+$/, "");
    const target = path.posix.normalize(
      path.posix.join(path.posix.dirname(file), `${match[1].replace(/\\/g, "/")}shared${rest}`),
    );
    // An import names its file without the extension.
    const inside =
      !target.startsWith("../") &&
      (tree.files.has(target) ||
        tree.dirs.has(target) ||
        [...tree.files].some((f) => f.startsWith(`${target}.`)));
    if (!inside) {
      found.push(`${at(match.index)}: ${match[0]} is not in the repository`);
    }
  }
  return found;
}

function ancestors(file: string): string[] {
  const dirs: string[] = [];
  for (let dir = path.posix.dirname(file); dir !== "."; dir = path.posix.dirname(dir)) {
    dirs.push(dir);
  }
  return dirs;
}

describe("the repository stands alone", () => {
  it("points only at files inside it, never at notes beside it", () => {
    const files = trackedFiles();
    const tree = treeOf(files);
    const problems = files.flatMap((file) => {
      const bytes = readFileSync(path.join(ROOT, file));
      // Binary files (images, fonts) hold no pointers.
      if (bytes.subarray(0, 8000).includes(0)) {
        return [];
      }
      return outsidePointers(file, bytes.toString("utf8"), tree);
    });
    expect(problems, problems.join("\n")).to.deep.equal([]);
  });

  it("recognises a pointer at the notes, and lets pointers into the repository pass", () => {
    const tree = treeOf(["docs/DOMAIN.md", "shared/domain/imei.ts", "server/src/db/a.ts"]);
    const note = (name: string) => `${name}.md`;
    const up = (n: number) => "../".repeat(n);
    expect(
      outsidePointers(
        "server/src/db/a.ts",
        [
          `// see ${note("STACK")} 0.2`,
          `// see ${up(1)}shared/${note("STYLE")}`,
          `// see ${note("DOMAIN")}, "IMEI"`,
          `// see docs/${note("SECURITY")} (not in the repository)`,
          `import { parseImei } from "${up(3)}shared/domain/imei";`,
          `// see docs/${note("DOMAIN")}, "IMEI"`,
        ].join("\n"),
        tree,
      ),
    ).to.deep.equal([
      `server/src/db/a.ts:1: names ${note("STACK")} (point at a file in docs/ instead)`,
      `server/src/db/a.ts:2: names ${note("STYLE")} (point at a file in docs/ instead)`,
      `server/src/db/a.ts:3: names ${note("DOMAIN")} (point at a file in docs/ instead)`,
      `server/src/db/a.ts:4: names ${note("SECURITY")} (point at a file in docs/ instead)`,
      `server/src/db/a.ts:2: ${up(1)}shared/${note("STYLE")} is not in the repository`,
    ]);
  });
});
