import type { ClientRateLimitInfo, Options, Store } from "express-rate-limit";
import { RedisStore } from "rate-limit-redis";
import { createClient } from "redis";
import type {
  Reservation,
  ThrottlePolicy,
  ThrottleSlot,
  ThrottleStore,
} from "../auth/login-throttle";
import type { Logger } from "../logging/logger";
import { ServiceUnavailableError } from "../errors/app-error";

export type RedisClient = ReturnType<typeof createClient>;

/**
 * The Redis connection of a server process (when REDIS_URL is set): Socket.io's adapter, the
 * shared rate-limit counters and the sign-in throttle use it. It reconnects by itself; while it
 * is down the server keeps serving (health says degraded), see each user for what it does then.
 */
export class RedisConnection {
  readonly client: RedisClient;
  private readonly extra: RedisClient[] = [];

  constructor(
    url: string,
    private readonly logger: Logger,
  ) {
    this.client = createClient({
      url,
      socket: {
        connectTimeout: 2000,
        // Keep trying, a little slower each time, at most every 2 s.
        reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
      },
      // Commands fail fast while disconnected instead of queueing without bound.
      disableOfflineQueue: true,
    });
    let down = false;
    this.client.on("error", (error: unknown) => {
      if (!down) {
        this.logger.warn("server", "redis unavailable", { err: String(error) });
      }
      down = true;
    });
    this.client.on("ready", () => {
      if (down) {
        this.logger.info("server", "redis back");
      }
      down = false;
    });
  }

  /** Connects; resolves even when Redis is down now (it keeps retrying in the background). */
  async start(): Promise<void> {
    await this.client.connect().catch((error: unknown) => {
      this.logger.warn("server", "redis not reachable at start; retrying", { err: String(error) });
    });
  }

  /**
   * A client for Socket.io's adapter, with the offline queue on. The adapter retries its stream
   * read at once on any error: with a fail-fast client that loop would never yield while Redis is
   * down and freeze the process; and it saves sessions without catching a failure. Queued, its
   * commands wait for Redis instead (events to other processes resume when it is back).
   */
  async adapterClient(): Promise<RedisClient> {
    const client = this.client.duplicate({ disableOfflineQueue: false });
    // The main client already logs the outage once; this one would repeat it on every retry.
    client.on("error", () => undefined);
    this.extra.push(client);
    await client.connect().catch(() => undefined);
    return client;
  }

  get ready(): boolean {
    return this.client.isReady;
  }

  async ping(): Promise<boolean> {
    if (!this.client.isReady) {
      return false;
    }
    try {
      return (await this.client.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  /** Closes every connection it opened: the main one and the adapter's. */
  async close(): Promise<void> {
    await Promise.all([this.client, ...this.extra.splice(0)].map(closeClient));
  }
}

async function closeClient(client: RedisClient): Promise<void> {
  if (client.isOpen) {
    await client.close().catch(() => undefined);
  } else {
    client.destroy();
  }
}

/**
 * One step of a throttle entry, run by Redis as a whole so that parallel requests (on any
 * server process) never read the same count: the rules of `reserveEntry` and `releaseEntry`,
 * on a hash {failures, firstAt, blockedUntil}. A key of another type (the JSON strings of
 * earlier versions) is dropped first.
 */
const RESERVE_SCRIPT = `
local key = KEYS[1]
local now, free, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local base, maxDelay = tonumber(ARGV[4]), tonumber(ARGV[5])
local kind = redis.call('TYPE', key).ok
if kind ~= 'hash' and kind ~= 'none' then redis.call('DEL', key) end
local found = redis.call('HMGET', key, 'failures', 'firstAt', 'blockedUntil')
local failures, firstAt, blockedUntil = tonumber(found[1]), tonumber(found[2]), tonumber(found[3])
if failures == nil or firstAt == nil or blockedUntil == nil
    or (now - firstAt > window and now >= blockedUntil) then
  failures, firstAt, blockedUntil = 0, now, 0
end
if blockedUntil > now then
  return {0, blockedUntil - now}
end
local previous = blockedUntil
failures = failures + 1
if failures >= free then
  blockedUntil = now + math.min(maxDelay, base * 2 ^ (failures - free))
end
local ttl = math.max(1000, math.max(firstAt + window, blockedUntil) - now + maxDelay)
redis.call('HSET', key, 'failures', failures, 'firstAt', string.format('%.0f', firstAt),
  'blockedUntil', string.format('%.0f', blockedUntil))
redis.call('PEXPIRE', key, string.format('%.0f', ttl))
return {1, firstAt, blockedUntil, previous}
`;

const RELEASE_SCRIPT = `
local key = KEYS[1]
local free, slotFirstAt = tonumber(ARGV[1]), tonumber(ARGV[2])
local slotBlockedUntil, slotPrevious = tonumber(ARGV[3]), tonumber(ARGV[4])
if redis.call('TYPE', key).ok ~= 'hash' then return 0 end
local found = redis.call('HMGET', key, 'failures', 'firstAt', 'blockedUntil')
local failures, firstAt, blockedUntil = tonumber(found[1]), tonumber(found[2]), tonumber(found[3])
if failures == nil or firstAt ~= slotFirstAt then return 0 end
failures = failures - 1
if failures <= 0 then
  redis.call('DEL', key)
  return 1
end
if failures < free then
  blockedUntil = 0
elseif blockedUntil == slotBlockedUntil then
  blockedUntil = slotPrevious
end
redis.call('HSET', key, 'failures', failures, 'blockedUntil', string.format('%.0f', blockedUntil))
return 1
`;

/** Sign-in throttle counts in Redis: one hash per key with a TTL, changed only by scripts. */
export class RedisThrottleStore implements ThrottleStore {
  constructor(private readonly redis: RedisConnection) {}

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch {
      // Without the counts we cannot tell a guesser from the user: refuse, never bypass.
      throw new ServiceUnavailableError("Sign-in is briefly unavailable, try again", 5);
    }
  }

  async reserve(key: string, policy: ThrottlePolicy, now: number): Promise<Reservation> {
    const reply = await this.call(() =>
      this.redis.client.eval(RESERVE_SCRIPT, {
        keys: [key],
        arguments: [
          now,
          policy.freeFailures,
          policy.windowMs,
          policy.baseDelayMs,
          policy.maxDelayMs,
        ].map(String),
      }),
    );
    const [granted, ...values] = (reply as unknown[]).map(Number);
    if (granted !== 1) {
      return { waitMs: values[0] };
    }
    const [firstAt, blockedUntil, previousBlockedUntil] = values;
    return { slot: { firstAt, blockedUntil, previousBlockedUntil } };
  }

  async release(key: string, policy: ThrottlePolicy, slot: ThrottleSlot): Promise<void> {
    await this.call(() =>
      this.redis.client.eval(RELEASE_SCRIPT, {
        keys: [key],
        arguments: [
          policy.freeFailures,
          slot.firstAt,
          slot.blockedUntil,
          slot.previousBlockedUntil,
        ].map(String),
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.call(() => this.redis.client.del(key));
  }
}

/**
 * A rate-limit store in Redis (rate-limit-redis) that tolerates Redis being away: it loads its
 * scripts only once Redis answers, and starts over after any failure, so an outage at start-up
 * or later never leaves the limit broken. Errors reach express-rate-limit, which lets the
 * request pass (`passOnStoreError`).
 */
export class ResilientRedisLimitStore implements Store {
  private inner: Promise<RedisStore> | null = null;
  private windowMs = 60_000;
  readonly localKeys = false;

  constructor(
    private readonly redis: RedisConnection,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private async store(): Promise<RedisStore> {
    this.inner ??= (async () => {
      const store = new RedisStore({
        prefix: this.prefix,
        sendCommand: (...args: string[]) => this.redis.client.sendCommand(args),
      });
      await store.init({ windowMs: this.windowMs } as Options);
      return store;
    })();
    try {
      return await this.inner;
    } catch (error) {
      this.inner = null;
      throw error;
    }
  }

  private async use<T>(work: (store: RedisStore) => Promise<T>): Promise<T> {
    const store = await this.store();
    try {
      return await work(store);
    } catch (error) {
      this.inner = null;
      throw error;
    }
  }

  get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.use((store) => store.get(key));
  }

  increment(key: string): Promise<ClientRateLimitInfo> {
    return this.use((store) => store.increment(key));
  }

  decrement(key: string): Promise<void> {
    return this.use((store) => store.decrement(key));
  }

  resetKey(key: string): Promise<void> {
    return this.use((store) => store.resetKey(key));
  }
}
