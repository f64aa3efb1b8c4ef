import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

/** Lower-case RFC 4648 base32: survives mail systems that fold the case of an address. */
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) {
    out += ALPHABET[(value << (5 - bits)) & 31];
  }
  return out;
}

function unbase32(text: string): Buffer | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) {
      return null;
    }
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A ticket id (UUID) as 16 bytes, and back. */
const uuidBytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ""), "hex");
const uuidOf = (bytes: Buffer): string => {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** Characters of a reply token: the ticket (26) and its MAC (20). */
const TICKET_CHARS = 26;
const MAC_BYTES = 12;
const MAC_CHARS = 20;
export const REPLY_TOKEN_LENGTH = TICKET_CHARS + MAC_CHARS;

/**
 * The email channel's secrets, each derived from the session secret with HKDF under its own label
 * (docs/SECURITY.md, "Email"): one key seals the customer links the outbox keeps, another signs
 * the reply tokens of reply addresses. Rotating the session secret retires both.
 */
export class MailKeys {
  private readonly sealKey: Buffer;
  private readonly replyKey: Buffer;

  constructor(sessionSecret: string) {
    const derive = (label: string) =>
      Buffer.from(hkdfSync("sha256", sessionSecret, "greydesk-mail", label, 32));
    this.sealKey = derive("outbox link v1");
    this.replyKey = derive("reply token v1");
  }

  /** `v1.<iv>.<ciphertext>.<tag>` (base64url), AES-256-GCM with a fresh 96-bit IV. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.sealKey, iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return ["v1", iv, data, cipher.getAuthTag()]
      .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
      .join(".");
  }

  /** The sealed text, or null when it was sealed under another key or altered. */
  open(sealed: string): string | null {
    const [version, iv, data, tag] = sealed.split(".");
    if (version !== "v1" || iv === undefined || data === undefined || tag === undefined) {
      return null;
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.sealKey, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([
        decipher.update(Buffer.from(data, "base64url")),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      return null;
    }
  }

  private mac(purpose: string, ticket: Buffer): Buffer {
    return createHmac("sha256", this.replyKey)
      .update(purpose)
      .update(ticket)
      .digest()
      .subarray(0, MAC_BYTES);
  }

  /**
   * The token of a ticket's reply address: the ticket's id and an HMAC of it, 46 lower-case
   * base32 characters. `purpose` keeps a reply token from serving as an unsubscribe one.
   */
  replyToken(ticketId: string, purpose: "reply" | "unsubscribe" = "reply"): string {
    const ticket = uuidBytes(ticketId);
    return base32(ticket) + base32(this.mac(purpose, ticket));
  }

  /**
   * The ticket a token names, when its MAC is right; null otherwise. The MAC is compared in
   * constant time over its whole fixed length: a token of any other length is refused before.
   */
  ticketOf(token: string, purpose: "reply" | "unsubscribe" = "reply"): string | null {
    const lower = token.toLowerCase();
    if (lower.length !== REPLY_TOKEN_LENGTH) {
      return null;
    }
    const ticket = unbase32(lower.slice(0, TICKET_CHARS));
    const given = unbase32(lower.slice(TICKET_CHARS));
    if (ticket === null || given === null || ticket.length !== 16 || given.length !== MAC_BYTES) {
      return null;
    }
    // One spelling per token: the padding bits of the last characters must be zero, or one
    // token would have several accepted forms.
    if (base32(ticket) + base32(given) !== lower) {
      return null;
    }
    return timingSafeEqual(given, this.mac(purpose, ticket)) ? uuidOf(ticket) : null;
  }
}
