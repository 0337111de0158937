import net from "node:net";
import { ConfigError } from "../errors.js";

/**
 * Probot reports a port in use with a stack trace; this says it in one line, with what to do, before
 * anything else starts. (Another process could still take the port in between: Probot then reports it.)
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error: NodeJS.ErrnoException) => {
      const fix =
        error.code === "EADDRINUSE"
          ? "is already in use (another gitdisk?): stop that process or set PORT to a free port"
          : `cannot be listened on (${error.code ?? error.message}): set PORT (and HOST) to ones this user may use`;
      reject(new ConfigError(`port ${port} on ${host} ${fix}`, { port, host }));
    });
    probe.listen({ port, host }, () => probe.close(() => resolve()));
  });
}
