// The example integrator's command line, against a `just run` server:
//
//   node examples/integrator/dist/main.js http://127.0.0.1:8080 12.50 "咖啡豆 1kg"
//
// downloads the platform's key, starts the notification receiver, opens a trade
// for a new order, prints the cashier address for the buyer, waits for the
// signed trade_paid notification and queries the trade.
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { paydesk } from "./client.js";
import { downloadPlatformKey } from "./portal.js";
import { startReceiver } from "./receiver.js";
import { openTrade, tradeByNo } from "./shop.js";
import { publicKey } from "./signing.js";

/** The demo merchant's API client; its private key is demo-key.pem beside this example (demo data only). */
export const DEMO = {
  appId: "app_demo_integrator_0000000001",
  keyFile: new URL("../demo-key.pem", import.meta.url),
  merchant: "demo@paydesk.test",
  password: "Demo123!",
  paymentPassword: "Pay123456!",
};

async function main(): Promise<void> {
  const [base = "http://127.0.0.1:8080", amount = "12.50", subject = "咖啡豆 1kg"] = process.argv.slice(2);
  const platformKey = publicKey(await downloadPlatformKey(base, DEMO));
  const receiver = await startReceiver(platformKey);
  const api = paydesk(base, DEMO.appId, createPrivateKey(readFileSync(DEMO.keyFile)), platformKey);
  const trade = await openTrade(api, { orderNo: `SHOP${Date.now()}`, subject, amount, notifyUrl: receiver.url });
  console.log(`trade ${trade.trade_no} (${trade.status_zh}): ask the buyer to pay at\n  ${trade.cashier_url}`);
  const event = await receiver.next("trade_paid", trade.trade_no, 10 * 60_000);
  console.log(`notified: ${event.event_id} ${event.type}`);
  const now = await tradeByNo(api, trade.trade_no);
  console.log(`trade ${now.trade_no}: ${now.status_zh}, settles after ${now.settle_after}`);
  receiver.close();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
