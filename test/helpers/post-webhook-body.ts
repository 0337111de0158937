import net from "node:net";

const CHUNK = Buffer.alloc(64 * 1024, " ");

export interface Sent {
  status: number;
}

/**
 * A push delivery with a wrong signature and `totalBytes` of body, sent over a raw socket (one reused
 * chunk, so the client's memory stays flat) until the server answers. Not Node's http client: it can
 * report the reset of its unfinished request instead of an early answer.
 */
export function postWebhookBody(
  url: string,
  totalBytes: number,
  { declareLength, rawPath }: { declareLength: boolean; rawPath?: string },
): Promise<Sent> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = "";
    let answered = false;
    let written = 0;
    const socket = net.connect(Number(port), hostname);
    socket.on("data", (data: Buffer) => {
      answer += data.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(answer);
      if (status && !answered) {
        answered = true;
        socket.destroy();
        resolve({ status: Number(status[1]) });
      }
    });
    // Sending on after the server answered and stopped reading: expected, not a failure.
    socket.on("error", (error) => (answered ? undefined : reject(error)));
    const headers = [
      // rawPath is sent as written: a URL object would resolve its dots and backslashes first.
      `POST ${rawPath ?? pathname} HTTP/1.1`,
      `host: ${hostname}`,
      "content-type: application/json",
      "x-github-event: push",
      "x-github-delivery: oversized",
      `x-hub-signature-256: sha256=${"0".repeat(64)}`,
      declareLength ? `content-length: ${totalBytes}` : "transfer-encoding: chunked",
    ];
    socket.write(`${headers.join("\r\n")}\r\n\r\n`);
    // One chunk per turn of the event loop: the answer is read as soon as it comes, even on a loaded machine,
    // before the server has drained all it reads of a refused body and closes (data sent after that is reset).
    const writeMore = () => {
      if (answered || socket.destroyed) return;
      if (written >= totalBytes) return void (declareLength ? undefined : socket.write("0\r\n\r\n"));
      const piece = CHUNK.subarray(0, Math.min(CHUNK.length, totalBytes - written));
      written += piece.length;
      const flowing = socket.write(
        declareLength ? piece : Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]),
      );
      if (flowing) setImmediate(writeMore);
      else socket.once("drain", writeMore);
    };
    writeMore();
  });
}
