// ESLint flat config: js + typescript-eslint (type-checked), and the import boundaries of docs/CONVENTIONS.md.
import { builtinModules } from "node:module";
import js from "@eslint/js";
import boundaries from "eslint-plugin-boundaries";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

// Node's built-in modules, bare and with the node: prefix (fs, fs/promises, node:crypto, ...).
const nodeBuiltins = [
  ...new Set(
    builtinModules.flatMap((name) => [
      name.replace(/^node:/, ""),
      `node:${name.replace(/^node:/, "")}`,
    ]),
  ),
];

// Relative imports that pass through a folder named server/ or client/ (from shared/ that is
// always a climb out of shared/). Package names such as "@redis/client" are not relative.
const intoServer = String.raw`^\.{1,2}/(?:.*/)?server(?:/|$)`;
const intoClient = String.raw`^\.{1,2}/(?:.*/)?client(?:/|$)`;

// The module order of docs/ARCHITECTURE.md ("Module order"), lowest layer first. A module may
// import modules of lower layers only: never one of its own layer or above. Keep both in step.
const moduleLayers = [
  ["agents", "customers", "devices", "health", "outbox", "settings"],
  ["catalog"],
  ["carriers"],
  ["handsets"],
  ["batches", "register"],
  ["attachments"],
  ["tickets"],
  ["sla"],
  ["rma"],
  ["assignment", "email", "portal", "privacy", "views"],
  ["quality"],
];
const moduleNames = moduleLayers.flat();

// Every module may import from lower layers only (disallow the rest); entity files may name the
// entities of any module, since TypeORM relations point both ways.
const modulePolicies = [
  ...moduleLayers.flatMap((layer, index) =>
    layer.map((name) => ({
      from: { element: { type: name } },
      disallow: {
        to: {
          element: {
            types: {
              anyOf: moduleLayers
                .slice(index)
                .flat()
                .filter((other) => other !== name),
            },
          },
        },
      },
      message: `${name} sits in layer ${index + 1} of the module order (docs/ARCHITECTURE.md): it may import only modules of lower layers`,
    })),
  ),
  {
    from: { file: { categories: "entity" } },
    allow: { to: { file: { categories: "entity" } } },
  },
];

// Imports that reach Socket.io or the realtime part (server/src/realtime/) from a module: only
// realtime/ publishes to sockets (docs/ARCHITECTURE.md, "Facts and the one publisher").
const intoRealtime = String.raw`^(?:\.\./)+realtime(?:/|$)`;

// The globals of Node's CommonJS scripts (scripts/*.js, *.cjs), which are not type-checked.
const nodeGlobals = Object.fromEntries(
  [
    "require",
    "module",
    "exports",
    "__dirname",
    "__filename",
    "process",
    "Buffer",
    "console",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "setImmediate",
    "URL",
  ].map((name) => [name, "readonly"]),
);

export default defineConfig(
  globalIgnores(["node_modules/", "dist/", "data/", "coverage/", "bench-results/"]),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with its nearest tsconfig: the root one for server/, shared/ and
        // test/, client/tsconfig.json for client/src. vite.config.ts runs in Node, not the
        // browser, so it gets client/tsconfig.node.json instead of the DOM-only client config.
        projectService: {
          allowDefaultProject: ["client/vite.config.ts"],
          defaultProject: "client/tsconfig.node.json",
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": [
        "error",
        { considerDefaultExhaustiveForUnions: true },
      ],
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { prefer: "type-imports", fixStyle: "separate-type-imports" },
      ],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
        },
      ],
      curly: ["error", "all"],
      eqeqeq: ["error", "always"],
      "no-console": "error",
    },
  },

  // Plain JavaScript (this file, build scripts, the mocha reporter): no type information.
  {
    files: ["**/*.mjs", "**/*.cjs", "**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ["**/*.cjs", "scripts/**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: nodeGlobals },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { globals: nodeGlobals },
  },

  // Tests: supertest types `res.body` as `any`, and the assertions check those values at run
  // time, so the no-unsafe-* family only adds casts there. chai's property assertions
  // (`expect(x).to.be.true`, `.and.not.empty`) are expressions by design.
  {
    files: ["test/**"],
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unused-expressions": "off",
    },
  },

  // shared/ is isomorphic and a leaf: no server or client code, no Node built-ins.
  {
    files: ["shared/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: "shared/ runs in the browser too: no Node built-ins.",
          })),
          patterns: [
            {
              regex: intoServer,
              message: "shared/ must not import server code.",
            },
            {
              regex: intoClient,
              message: "shared/ must not import client code.",
            },
          ],
        },
      ],
    },
  },
  // client/ takes only types from shared/contracts (their zod schemas stay out of the browser
  // bundle), and never zod itself; shared/domain (plain functions and constants) it may import.
  {
    files: ["client/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "zod",
              allowTypeImports: true,
              message: "The browser bundle carries no zod: import types only.",
            },
          ],
          patterns: [
            {
              regex: String.raw`^\.{1,2}/(?:.*/)?shared/contracts(?:/|$)`,
              allowTypeImports: true,
              message:
                "client/ imports only types from shared/contracts (`import type`): its zod schemas stay on the server.",
            },
          ],
        },
      ],
    },
  },
  // server/ never imports the browser app.
  {
    files: ["server/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ regex: intoClient, message: "server/ must not import client code." }],
        },
      ],
    },
  },
  // Modules never touch Socket.io or realtime/: they publish facts (server/src/events/) and ask
  // through interfaces they own; realtime/ implements them.
  {
    files: ["server/src/modules/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: intoClient, message: "server/ must not import client code." },
            {
              regex: intoRealtime,
              message:
                "modules/ must not import realtime/: publish a fact (server/src/events/) or own an interface realtime implements.",
            },
            {
              regex: "^@?socket\\.io(?:/|$)",
              message: "Only server/src/realtime/ touches Socket.io: publish a fact instead.",
            },
          ],
        },
      ],
    },
  },
  // The module order, checked by eslint-plugin-boundaries on every import of a module file.
  {
    files: ["server/src/modules/**/*.ts"],
    plugins: { boundaries },
    settings: {
      "boundaries/elements": moduleNames.map((name) => ({
        type: name,
        pattern: `server/src/modules/${name}`,
        partialMatch: false,
      })),
      "boundaries/files": [{ category: "entity", pattern: "**/*.entity.ts" }],
      "import/resolver": { node: { extensions: [".ts", ".js"] } },
    },
    rules: {
      "boundaries/dependencies": ["error", { default: "allow", policies: modulePolicies }],
    },
  },
);
