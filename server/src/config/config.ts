import { z } from "zod";
import { Limits } from "../../../shared/domain/limits";

export type DatabaseConfig = { type: "sqlite"; path: string } | { type: "postgres"; url: string };

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** Everything the server reads from its environment, parsed once and frozen. */
export interface Config {
  env: "development" | "production" | "test";
  port: number;
  database: DatabaseConfig;
  redisUrl: string | null;
  /** Null until start-up resolves it from the data folder (never in production). */
  sessionSecret: string | null;
  /** New portal tickets per client IP per hour; 0 turns the limit off. */
  rateLimitPortal: number;
  /** Portal replies per client IP per minute, across tickets; 0 turns the limit off. */
  rateLimitPortalReplies: number;
  bootstrapAdmin: { email: string; password: string } | null;
  /** Where the generated session secret (and later attachments) live. */
  dataDir: string;
  logLevel: LogLevel;
  /** Express `trust proxy`: how many proxy hops in front of Greydesk may set X-Forwarded-For. */
  trustProxy: number;
  /**
   * Where customers reach the desk, as an origin (`https://desk.example.com`, no trailing slash):
   * every link in an API answer or an email starts with it, never with anything the request says
   * (its Host header can be anyone's: see docs/SECURITY.md). Null: the address the server
   * listens on, `http://localhost:<port>` (what PORT=0 picked).
   */
  publicUrl: string | null;
  /** METRICS_TOKEN: with it, /metrics answers any address that sends it as a bearer token. */
  metricsToken: string | null;
  /** Scheduled backups (BACKUP_DIR, BACKUP_EVERY, BACKUP_KEEP); null: none. */
  backup: BackupSchedule | null;
  /** ATTACHMENT_RETENTION_DAYS: files of tickets closed longer ago are deleted; null: kept. */
  attachmentRetentionDays: number | null;
  /** Email (docs/ARCHITECTURE.md, "Email"). */
  mail: MailConfig;
}

export interface MailConfig {
  /** SMTP_URL: the outgoing relay; null: messages wait in the outbox. */
  smtpUrl: string | null;
  /** MAIL_FROM: the From of every email; its address is the support address. */
  from: { name: string; address: string };
  /** SMTP_INBOUND_PORT / SMTP_INBOUND_HOST: the built-in receiver; null: off. */
  inbound: { port: number; host: string } | null;
  /** IMAP_URL: a mailbox to poll; null: off. */
  imapUrl: string | null;
  /** OUTBOX_LEASE_SECONDS: how long a claimed message is one worker's before another may retry it. */
  leaseMs: number;
}

export interface BackupSchedule {
  dir: string;
  everyMs: number;
  keep: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const intString = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const databaseUrl = z
  .string()
  .trim()
  .transform((value, ctx): DatabaseConfig => {
    if (value.startsWith("sqlite:")) {
      const path = value.slice("sqlite:".length);
      if (path === "") {
        ctx.addIssue({ code: "custom", message: "sqlite: needs a file path or :memory:" });
        return z.NEVER;
      }
      return { type: "sqlite", path };
    }
    if (/^postgres(ql)?:\/\//.test(value)) {
      try {
        new URL(value);
      } catch {
        ctx.addIssue({ code: "custom", message: "is not a valid postgres:// URL" });
        return z.NEVER;
      }
      return { type: "postgres", url: value };
    }
    ctx.addIssue({
      code: "custom",
      message: "must be sqlite:PATH, sqlite::memory: or postgres://...",
    });
    return z.NEVER;
  });

/**
 * PUBLIC_URL: an http(s) origin. A path is refused too: the desk is served from the root, so
 * links under a path would not open.
 */
const publicUrl = z
  .string()
  .trim()
  .transform((value, ctx): string => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be an http:// or https:// URL" });
      return z.NEVER;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: "must be an http:// or https:// URL" });
      return z.NEVER;
    }
    if (url.username !== "" || url.password !== "") {
      ctx.addIssue({ code: "custom", message: "must not carry a user name or password" });
      return z.NEVER;
    }
    if (url.search !== "" || url.hash !== "" || value.includes("?") || value.includes("#")) {
      ctx.addIssue({ code: "custom", message: "must not have a query (?) or fragment (#)" });
      return z.NEVER;
    }
    if (url.pathname !== "/") {
      ctx.addIssue({
        code: "custom",
        message: "must be the desk's root address, without a path (like https://desk.example.com)",
      });
      return z.NEVER;
    }
    return url.origin;
  });

const validUrl = (value: string): boolean => URL.canParse(value);

/**
 * MAIL_FROM: `Name <address>` or a bare address. The header it becomes is built by the mailer,
 * and CR/LF never get that far: an address with them does not parse.
 */
const mailFrom = z
  .string()
  .trim()
  .transform((value, ctx): { name: string; address: string } => {
    const match = /^(?:"?([^"<>\r\n]*?)"?\s*<([^<>\s]+)>|([^<>\s]+))$/.exec(value);
    const address = match?.[2] ?? match?.[3];
    if (
      match === null ||
      address === undefined ||
      !/^[^@\s"<>()[\],;:\\]+@[A-Za-z0-9.-]+$/.test(address)
    ) {
      ctx.addIssue({
        code: "custom",
        message: "must be an email address, or a name and one: Greydesk <support@example.com>",
      });
      return z.NEVER;
    }
    return { name: (match[1] ?? "").trim(), address: address.toLowerCase() };
  });

const DURATION_UNITS: Record<string, number> = { m: 60_000, h: 3600_000, d: 86_400_000 };

/** A duration like `30m`, `6h` or `1d`; at least ten minutes, at most thirty days. */
const duration = z
  .string()
  .trim()
  .transform((value, ctx): number => {
    const match = /^(\d+)([mhd])$/.exec(value);
    const ms = match === null ? NaN : Number(match[1]) * DURATION_UNITS[match[2]];
    if (!(ms >= 10 * 60_000 && ms <= 30 * 86_400_000)) {
      ctx.addIssue({
        code: "custom",
        message: "must be a duration like 30m, 6h or 1d (between 10m and 30d)",
      });
      return z.NEVER;
    }
    return ms;
  });

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: intString(0, 65535).default(3000),
    DATABASE_URL: databaseUrl.default({ type: "sqlite", path: "data/greydesk.sqlite" }),
    REDIS_URL: z
      .string()
      .trim()
      .regex(/^rediss?:\/\/\S+$/, "must be a redis:// or rediss:// URL")
      .optional(),
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    RATE_LIMIT_PORTAL: intString(0, 1_000_000).default(30),
    RATE_LIMIT_PORTAL_REPLIES: intString(0, 1_000_000).default(60),
    GREYDESK_ADMIN_EMAIL: z.email("must be an email address").max(Limits.emailMax).optional(),
    GREYDESK_ADMIN_PASSWORD: z
      .string()
      .min(Limits.passwordMin, `must be at least ${Limits.passwordMin} characters`)
      .max(Limits.passwordMax)
      .optional(),
    GREYDESK_DATA_DIR: z.string().trim().min(1).default("data"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    TRUST_PROXY: intString(0, 10).default(0),
    PUBLIC_URL: publicUrl.optional(),
    SMTP_URL: z
      .string()
      .trim()
      .regex(/^smtps?:\/\/\S+$/, "must be an smtp:// or smtps:// URL")
      .refine(validUrl, "must be an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: mailFrom.default({ name: "Greydesk", address: "support@localhost" }),
    SMTP_INBOUND_PORT: intString(0, 65535).optional(),
    SMTP_INBOUND_HOST: z.string().trim().min(1).default("127.0.0.1"),
    IMAP_URL: z
      .string()
      .trim()
      .regex(/^imaps?:\/\/\S+$/, "must be an imap:// or imaps:// URL")
      .refine(validUrl, "must be an imap:// or imaps:// URL")
      .optional(),
    OUTBOX_LEASE_SECONDS: intString(1, 86_400).default(120),
    METRICS_TOKEN: z
      .string()
      .regex(/^[\x21-\x7e]{24,256}$/, "must be 24 to 256 printable characters, no spaces")
      .optional(),
    BACKUP_DIR: z.string().trim().min(1).optional(),
    BACKUP_EVERY: duration.optional(),
    BACKUP_KEEP: intString(1, 1000).default(7),
    ATTACHMENT_RETENTION_DAYS: intString(0, 36_500).default(0),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && env.SESSION_SECRET === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "is required when NODE_ENV=production",
      });
    }
    // Behind a proxy the desk cannot know the address customers use; the Host header is no answer.
    if (env.NODE_ENV === "production" && env.PUBLIC_URL === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["PUBLIC_URL"],
        message: "is required when NODE_ENV=production (the address customers reach the desk at)",
      });
    }
    if ((env.BACKUP_DIR === undefined) !== (env.BACKUP_EVERY === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [env.BACKUP_DIR === undefined ? "BACKUP_DIR" : "BACKUP_EVERY"],
        message: "BACKUP_DIR and BACKUP_EVERY go together",
      });
    }
    if ((env.GREYDESK_ADMIN_EMAIL === undefined) !== (env.GREYDESK_ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [
          env.GREYDESK_ADMIN_EMAIL === undefined
            ? "GREYDESK_ADMIN_EMAIL"
            : "GREYDESK_ADMIN_PASSWORD",
        ],
        message: "GREYDESK_ADMIN_EMAIL and GREYDESK_ADMIN_PASSWORD go together",
      });
    }
  });

/**
 * Parses the environment into a frozen Config. Empty strings count as unset. Throws a
 * ConfigError that lists every problem, not just the first.
 */
export function parseConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `${issue.path.join(".") || "environment"} ${issue.message}`,
      ),
    );
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    database: Object.freeze(e.DATABASE_URL),
    redisUrl: e.REDIS_URL ?? null,
    sessionSecret: e.SESSION_SECRET ?? null,
    rateLimitPortal: e.RATE_LIMIT_PORTAL,
    rateLimitPortalReplies: e.RATE_LIMIT_PORTAL_REPLIES,
    bootstrapAdmin:
      e.GREYDESK_ADMIN_EMAIL !== undefined && e.GREYDESK_ADMIN_PASSWORD !== undefined
        ? Object.freeze({
            email: e.GREYDESK_ADMIN_EMAIL.toLowerCase(),
            password: e.GREYDESK_ADMIN_PASSWORD,
          })
        : null,
    dataDir: e.GREYDESK_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    publicUrl: e.PUBLIC_URL ?? (e.PORT === 0 ? null : `http://localhost:${e.PORT}`),
    mail: Object.freeze({
      smtpUrl: e.SMTP_URL ?? null,
      from: Object.freeze(e.MAIL_FROM),
      inbound:
        e.SMTP_INBOUND_PORT === undefined
          ? null
          : Object.freeze({ port: e.SMTP_INBOUND_PORT, host: e.SMTP_INBOUND_HOST }),
      imapUrl: e.IMAP_URL ?? null,
      leaseMs: e.OUTBOX_LEASE_SECONDS * 1000,
    }),
    metricsToken: e.METRICS_TOKEN ?? null,
    backup:
      e.BACKUP_DIR !== undefined && e.BACKUP_EVERY !== undefined
        ? Object.freeze({ dir: e.BACKUP_DIR, everyMs: e.BACKUP_EVERY, keep: e.BACKUP_KEEP })
        : null,
    attachmentRetentionDays: e.ATTACHMENT_RETENTION_DAYS === 0 ? null : e.ATTACHMENT_RETENTION_DAYS,
  });
}
