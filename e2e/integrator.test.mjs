// The example integrator (examples/integrator, issue 12) against a real server:
// its client is generated from api-spec/openapi.json by openapi-typescript and
// type-checked with tsc here, so a spec that drifts from what the example uses
// fails this test. It downloads the platform's key, opens a trade (idempotent by
// order number), a buyer pays in the cashier in Chromium, the shop's receiver
// gets the signed notification, the trade is queried, and the sandbox clock
// settles it — announced by a second signed notification. A guaranteed trade is
// paid, held through a day's settlement, shipped, confirmed and then settled.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startServer } from "./server.mjs";
import { launch, shot } from "./browser.mjs";

const root = resolve(import.meta.dirname, "..");
const example = join(root, "examples/integrator");
const bin = (name) => join(root, "node_modules/.bin", name);

let server, browser, lib, platformKey, receiver, api, trade, guaranteed;
const orderNo = `SHOP${Date.now()}`;

before(async () => {
  execFileSync(bin("openapi-typescript"), [join(root, "api-spec/openapi.json"), "-o", join(example, "src/schema.d.ts")], { stdio: "pipe" });
  execFileSync(bin("tsc"), ["-p", example], { stdio: "inherit" });
  const load = (file) => import(join(example, "dist", file));
  lib = {
    client: await load("client.js"),
    portal: await load("portal.js"),
    receiver: await load("receiver.js"),
    shop: await load("shop.js"),
    signing: await load("signing.js"),
    main: await load("main.js"),
  };
  server = await startServer();
  browser = await launch();
});

after(async () => {
  receiver?.close();
  await browser?.close();
  await server?.stop();
});

test("the integrator downloads the platform's key and opens a trade, once per order", async () => {
  const { DEMO } = lib.main;
  platformKey = lib.signing.publicKey(await lib.portal.downloadPlatformKey(server.url, DEMO));
  receiver = await lib.receiver.startReceiver(platformKey);
  api = lib.client.paydesk(server.url, DEMO.appId, createPrivateKey(readFileSync(DEMO.keyFile)), platformKey);
  const order = { orderNo, subject: "咖啡豆 1kg", amount: "66.60", notifyUrl: receiver.url, returnUrl: "https://shop.example/orders/1" };
  trade = await lib.shop.openTrade(api, order);
  assert.equal(trade.status, "pending");
  assert.equal(trade.amount, "66.60");
  const again = await lib.shop.openTrade(api, order);
  assert.equal(again.trade_no, trade.trade_no);
  const changed = await lib.shop.openTrade(api, { ...order, amount: "1.00" }).catch((e) => e);
  assert.equal(changed.status, 409);
  assert.equal(changed.problem.code, "merchant_order_no_taken");
  assert.equal((await lib.shop.tradeByOrderNo(api, orderNo)).trade_no, trade.trade_no);
});

test("answers that the platform did not sign are refused, and so is a request signed with another key", async () => {
  const { DEMO } = lib.main;
  const stranger = generateKeyPairSync("ed25519");
  // The integrator's own public key is not the platform's: the answer doesn't verify.
  const wrongKey = lib.client.paydesk(server.url, DEMO.appId, createPrivateKey(readFileSync(DEMO.keyFile)), stranger.publicKey);
  await assert.rejects(lib.shop.tradeByNo(wrongKey, trade.trade_no), lib.client.UnsignedAnswer);
  const forged = lib.client.paydesk(server.url, DEMO.appId, stranger.privateKey, platformKey);
  const refused = await lib.shop.tradeByNo(forged, trade.trade_no).catch((e) => e);
  assert.equal(refused.status, 401);
  assert.equal(refused.problem.code, "signature_invalid");
});

test("a buyer pays in the cashier and the shop hears of it, signed", async () => {
  const paid = await pay(trade, "integrator-cashier-paid");
  assert.equal(paid.status, "completed");

  const event = await receiver.next("trade_paid", trade.trade_no);
  assert.match(event.event_id, /^evt_/);
  assert.equal(event.data.merchant_order_no, orderNo);
  assert.equal(event.data.status, "completed");
  assert.equal(receiver.refused, 0);
  const now = await lib.shop.tradeByNo(api, trade.trade_no);
  assert.equal(now.status, "completed");
  assert.ok(now.settle_after, "a completed trade knows when it settles");
});

/** A buyer pays `t` in the cashier on a phone; resolves to the result page's status. */
async function pay(t, screenshot) {
  const buyer = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
  await buyer.goto(t.cashier_url);
  await buyer.click("button[name=bank][value=ICBC]");
  await buyer.locator("button[name=pay]").click();
  await buyer.waitForURL("**/result");
  const state = buyer.locator("[data-status=paid], [data-status=completed]");
  await state.waitFor({ timeout: 15000 });
  const status = await state.getAttribute("data-status");
  const words = await buyer.locator(".state").textContent();
  await shot(buyer, screenshot);
  await buyer.context().close();
  return { status, words };
}

test("a guaranteed trade is held until receipt is confirmed", async () => {
  const held = await lib.shop.openTrade(api, {
    orderNo: `${orderNo}G`, subject: "担保商品", amount: "30.00", notifyUrl: receiver.url, guaranteed: true,
  });
  assert.equal(held.mode, "guaranteed");
  const paid = await pay(held, "integrator-guaranteed-paid");
  assert.equal(paid.status, "paid");
  assert.match(paid.words, /支付成功/);
  assert.equal((await receiver.next("trade_paid", held.trade_no)).data.status, "paid");
  // A day later the money is still held: nothing settles a trade that isn't complete.
  await fetch(server.url + "/sandbox/settlement/run?hours=25", { method: "POST" });
  assert.equal((await lib.shop.tradeByNo(api, held.trade_no)).status, "paid");
  const shipped = await lib.shop.markShipped(api, held.trade_no);
  assert.ok(shipped.auto_confirm_at, "receipt is confirmed automatically after the merchant's period");
  const done = await lib.shop.confirmReceipt(api, held.trade_no);
  assert.equal(done.status, "completed");
  assert.equal((await receiver.next("trade_completed", held.trade_no)).data.status, "completed");
  const again = await lib.shop.confirmReceipt(api, held.trade_no).catch((e) => e);
  assert.equal(again.status, 409);
  assert.equal(again.problem.code, "trade_state");
  guaranteed = held;
});

test("the sandbox clock settles the trades and the shop is told", async () => {
  const run = await fetch(server.url + "/sandbox/settlement/run?hours=25", { method: "POST" });
  assert.equal(run.status, 200);
  const event = await receiver.next("trade_settled", trade.trade_no);
  assert.equal(event.data.status, "settled");
  const now = await lib.shop.tradeByNo(api, trade.trade_no);
  assert.equal(now.status, "settled");
  assert.ok(now.settled_at);
  assert.equal((await receiver.next("trade_settled", guaranteed.trade_no)).data.status, "settled");
});
