import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { AppRegistration, Permission } from "./world.js";

export interface AppRegistrationOptions {
  appName?: string;
  appId?: number;
  permissions?: Record<string, Permission>;
  events?: string[];
  /** Default: a random one. */
  webhookSecret?: string;
}

/** Registers the simulated GitHub App: a fresh RSA key pair, OAuth client credentials, a webhook secret, its bot. */
export function registerApp(options: AppRegistrationOptions): AppRegistration {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const name = options.appName ?? "gitdisk";
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const id = options.appId ?? 1;
  const botId = 41898282 + id;
  return {
    id,
    slug,
    name,
    clientId: `Iv1.${randomBytes(8).toString("hex")}`,
    clientSecret: randomBytes(20).toString("hex"),
    // PKCS#1, the format GitHub hands out for app keys.
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicKey,
    webhookSecret: options.webhookSecret ?? randomBytes(16).toString("hex"),
    owner: { id: 900, login: "sim-apps", type: "Organization", name: "sim-apps", email: null },
    bot: { id: botId, login: `${slug}[bot]`, type: "Bot", name: `${slug}[bot]`, email: `${botId}+${slug}[bot]@users.noreply.github.com` },
    permissions: options.permissions ?? { contents: "write", metadata: "read" },
    events: options.events ?? ["push", "repository"],
  };
}
