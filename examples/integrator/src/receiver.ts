// The shop's notification endpoint (实时反馈地址): verifies the platform's
// signature over the raw body, acknowledges with 200, and hands each event on
// once — retries of one event carry the same event id.
import { createServer, type Server } from "node:http";
import type { KeyObject } from "node:crypto";
import { verifyPlatform } from "./signing.js";

export interface PaydeskEvent {
  event_id: string;
  type: string;
  created_at: string;
  data: Record<string, unknown>;
}

export interface Receiver {
  url: string;
  /** Resolves with the first event of `type` for `tradeNo`. */
  next(type: string, tradeNo: string, timeoutMs?: number): Promise<PaydeskEvent>;
  /** Deliveries refused for a bad signature. */
  refused: number;
  close(): void;
}

export async function startReceiver(platformKey: KeyObject, path = "/paydesk/notify"): Promise<Receiver> {
  const seen = new Map<string, PaydeskEvent>();
  const waiting: Array<() => void> = [];
  let refused = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (!verifyPlatform(platformKey, req.headers["paydesk-signature"] as string | undefined ?? null, "POST", req.url ?? "", body)) {
        refused += 1;
        res.statusCode = 401;
        res.end("bad signature");
        return;
      }
      const event = JSON.parse(body.toString("utf8")) as PaydeskEvent;
      if (event.event_id !== req.headers["paydesk-event-id"]) {
        res.statusCode = 400;
        res.end("event id mismatch");
        return;
      }
      seen.set(event.event_id, event);
      res.end("success");
      waiting.splice(0).forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    get refused() {
      return refused;
    },
    async next(type, tradeNo, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = [...seen.values()].find((e) => e.type === type && e.data["trade_no"] === tradeNo);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${type} event for ${tradeNo} within ${timeoutMs} ms`);
        await new Promise<void>((wake) => {
          waiting.push(wake);
          setTimeout(wake, 250);
        });
      }
    },
    close() {
      server.close();
    },
  };
}
