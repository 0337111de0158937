import type { Principal } from "../core/principal.js";
import type { SimCore } from "../core/sim-core.js";
import { HttpError } from "../http/sim-http.js";
import { looksLikeJwt, verifyAppJwt } from "./app-jwt.js";

/**
 * Reads the Authorization header ("token X", "Bearer X"): an app JWT, an installation token,
 * a personal access token or a user token. No header → null (the endpoint decides); a header
 * that does not check out → 401, as GitHub answers a bad credential even on public data.
 */
export function authenticate(core: SimCore, header: string | undefined): Principal | null {
  if (!header) return null;
  const match = /^(token|bearer)\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new HttpError(401, "Bad credentials");
  const credential = match[2]!;
  const now = core.now();
  if (looksLikeJwt(credential)) {
    const check = verifyAppJwt(credential, core.world.app, Math.floor(now.getTime() / 1000));
    if (!check.ok) throw new HttpError(401, check.message);
    return { kind: "app" };
  }
  const token = core.tokens.lookup(credential, now);
  if (!token) throw new HttpError(401, "Bad credentials");
  if (token.kind === "installation") {
    const installation = core.world.installations.get(token.installationId!);
    if (!installation) throw new HttpError(401, "Bad credentials");
    return { kind: "installation", installation, token };
  }
  return { kind: "user", user: token.user!, token };
}

/** Checks that the credential fits the endpoint: the app JWT for /app…, a token everywhere else. */
export function requireCredential(principal: Principal | null, kind: "jwt" | "token"): Principal {
  if (!principal) {
    throw new HttpError(401, kind === "jwt" ? "A JSON web token could not be decoded" : "Requires authentication");
  }
  if (kind === "jwt" && principal.kind !== "app") throw new HttpError(401, "A JSON web token could not be decoded");
  if (kind === "token" && principal.kind === "app") {
    throw new HttpError(401, "A JSON web token cannot be used here: authenticate with an installation access token");
  }
  return principal;
}
