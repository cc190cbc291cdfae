// 二维码收款, 收款提醒 and 实时反馈 in Chromium (issue 12): the second demo merchant
// applies to sign 二维码收款 in the 应用中心, staff approve it with a rate, and it
// prints its first code; the demo admin (every product signed) creates an
// open-amount QR code and shows its poster; a buyer opens the code on a
// phone-sized page, types an amount and pays at the cashier through the sandbox
// bank; the admin's page hears of the payment as it happens, with today's total;
// the funds overview shows it pending settlement until the sandbox clock settles
// it; a notify address is set and a test notification reaches a local receiver.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startServer } from "./server.mjs";
import { launch, shot } from "./browser.mjs";
import { demoAdminPage, signIn, staffSignIn } from "./helpers.mjs";

let server, browser, page, receiver;
const pageErrors = [];
const received = [];
let codeUrl, tradeNo;

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await demoAdminPage(browser, server.url, pageErrors);
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ id: req.headers["paydesk-event-id"], signature: req.headers["paydesk-signature"], body });
      res.end("success");
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  receiver?.close();
});

async function figure(label) {
  const text = await page.locator(`.figure:has(span:has-text('${label}')) b`).textContent();
  return text.trim();
}

test("a merchant signs the QR product through staff review and prints a code", async () => {
  const shop = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  shop.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(shop, server.url, { merchant: "shop@paydesk.test", password: "Shop123!" });
  // This merchant has no phone bound: the first sign-in offers to bind one; it goes on without.
  await shop.waitForURL(/\/(account\/home|security\/phone)/);
  await shop.click("nav.channels a:has-text('应用中心')");
  await shop.waitForURL("**/apps/products");
  const tile = shop.locator("[data-testid=products] [data-product=qr_collection]");
  assert.equal(await tile.getAttribute("data-state"), "not_signed");
  await tile.click();
  const detail = shop.locator("[data-testid=product-detail]");
  assert.match(await detail.textContent(), /操作流程/);
  await shop.fill("textarea[name=note]", "门店收款");
  await shop.click("button[name=apply]");
  await shop.locator("[data-testid=under-review]").waitFor();
  await shot(shop, "product-applied");

  const staff = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  staff.on("pageerror", (e) => pageErrors.push(String(e)));
  await staffSignIn(staff, server.url);
  await staff.click("button[data-tab=signings]");
  const row = staff.locator("[data-testid=signing-queue] tr[data-product=qr_collection]");
  await row.waitFor();
  assert.match(await row.textContent(), /shop@paydesk\.test/);
  await row.locator("input[name=rate_bp]").fill("60");
  await shot(staff, "signing-queue");
  await row.locator("button[name=approve]").click();
  await staff.locator("[data-testid=no-signings]").waitFor();
  await staff.context().close();

  await shop.reload();
  await shop.locator("[data-testid=products] [data-product=qr_collection][data-state=signed]").click();
  assert.equal((await shop.locator("[data-testid=product-detail] [data-testid=rate]").textContent()).trim(), "0.60%");
  await shop.click("[data-testid=product-detail] a:has-text('去使用')");
  await shop.waitForURL("**/apps/collect");
  await shop.fill("input[name=qr_name]", "小店收款");
  await shop.fill("input[name=qr_amount]", "20.00");
  await shop.click("button[name=create-qr]");
  const code = shop.locator("[data-testid=qr-code]").first();
  await code.waitFor();
  assert.match(await code.textContent(), /20\.00/);
  await code.locator("button[name^=poster-]").click();
  await shop.waitForFunction(() => document.querySelector("[data-testid=qr-poster] img")?.naturalWidth > 0);
  await shop.click("nav.channels a:has-text('应用中心')");
  await shop.click(".subnav a:has-text('签约信息')");
  const signed = shop.locator("[data-testid=signings] tr[data-product=qr_collection]");
  assert.match(await signed.textContent(), /已签约[\s\S]*0\.60%/);
  await shot(shop, "signings");
  await shop.context().close();
});

test("the admin creates an open-amount QR code and sees its poster", async () => {
  await page.click("nav.channels a:has-text('应用中心')");
  await page.waitForURL("**/apps/products");
  await page.click(".subnav a:has-text('二维码收款')");
  await page.waitForURL("**/apps/collect");
  await page.locator("[data-testid=alerts-live][data-live=true]").waitFor();
  await page.fill("input[name=qr_name]", "门店收款");
  await page.click("button[name=create-qr]");
  const row = page.locator("[data-testid=qr-code]").first();
  await row.waitFor();
  codeUrl = await row.getAttribute("data-qr-url");
  assert.match(codeUrl, /\/pay\/q[0-9a-z_-]+$/);
  assert.match(await row.textContent(), /任意金额/);
  await row.locator("button[name^=poster-]").click();
  const poster = page.locator("[data-testid=qr-poster] img");
  await poster.waitFor();
  await page.waitForFunction(() => document.querySelector("[data-testid=qr-poster] img")?.naturalWidth > 0);
  await shot(page, "qr-codes");
});

test("a buyer pays the code on a phone and the admin hears of it at once", async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const buyer = await phone.newPage();
  buyer.on("pageerror", (e) => pageErrors.push(String(e)));
  await buyer.goto(codeUrl);
  await buyer.locator("text=门店收款").waitFor();
  await buyer.fill("input[name=amount]", "12.34");
  await shot(buyer, "qr-pay-phone");
  await buyer.click("button:has-text('付款')");
  await buyer.waitForURL("**/cashier/*");
  tradeNo = buyer.url().split("/cashier/")[1];
  assert.equal((await buyer.locator(".amount").getAttribute("data-amount")), "12.34");
  const width = await buyer.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the cashier fits a phone (${width}px)`);
  await shot(buyer, "cashier-phone");
  await buyer.click("button[name=bank][value=ICBC]");
  await buyer.locator("button[name=pay]").click();
  await buyer.waitForURL("**/result");
  await buyer.locator("[data-status=completed]").waitFor({ timeout: 15000 });
  assert.match(await buyer.locator(".state").textContent(), /支付成功/);
  await shot(buyer, "cashier-paid");
  await phone.close();

  const alert = page.locator(`[data-testid=alert][data-trade-no="${tradeNo}"]`);
  await alert.waitFor({ timeout: 10000 });
  assert.match(await alert.textContent(), /12\.34/);
  assert.match(await page.locator("[data-testid=today-total]").textContent(), /12\.34/);
  // 收款记录 reloads on the alert: the trade is 交易成功, waiting for settlement.
  const row = page.locator(`[data-testid=takings] tr[data-trade-no="${tradeNo}"][data-status=completed]`);
  await row.waitFor({ timeout: 10000 });
  assert.match(await row.textContent(), /交易成功/);
  await shot(page, "collection-alert");
});

test("the payment waits in 待结算 and settles the next day", async () => {
  await page.click("nav.channels a:has-text('资金管理')");
  await page.click(".subnav a:has-text('资金总览')");
  await page.locator(".figure").first().waitFor();
  assert.equal(await figure("待结算"), "12.34");
  const before = Number((await figure("可用余额")).replace(/,/g, ""));
  const run = await fetch(server.url + "/sandbox/settlement/run?hours=25", { method: "POST" });
  assert.equal((await run.json()).settled >= 1, true);
  await page.reload();
  await page.locator(".figure").first().waitFor();
  assert.equal(await figure("待结算"), "0.00");
  const after = Number((await figure("可用余额")).replace(/,/g, ""));
  assert.ok(Math.abs(after - before - 12.34) < 0.005, `${before} → ${after}`);
  await page.click("nav.channels a:has-text('应用中心')");
  await page.click(".subnav a:has-text('二维码收款')");
  const row = page.locator(`[data-testid=takings] tr[data-trade-no="${tradeNo}"][data-status=settled]`);
  await row.waitFor();
  assert.match(await row.textContent(), /结算成功/);
  await shot(page, "collection-settled");
});

test("a notify address is set and a test notification is delivered and logged", async () => {
  await page.click("nav.channels a:has-text('应用中心')");
  await page.click(".subnav a:has-text('实时反馈')");
  await page.waitForURL("**/apps/notify");
  const address = `http://127.0.0.1:${receiver.address().port}/paydesk/notify`;
  await page.fill("input[name=notify_url]", address);
  await page.fill("[data-testid=notify-address] input[name=payment_password]", "Pay123456!");
  await page.click("button[name=save-address]");
  await page.locator("text=反馈地址已保存").waitFor();
  await page.click("button[name=send-test]");
  for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(received.length, 1);
  assert.equal(JSON.parse(received[0].body).type, "test");
  assert.match(received[0].signature, /^timestamp=\d+,nonce=[^,]+,signature=/);
  await page.click("button[name=refresh-log]");
  const row = page.locator(`[data-testid=event][data-event-id="${received[0].id}"][data-delivered=true]`);
  await row.waitFor();
  await row.locator("button[name=attempts]").click();
  await page.locator("[data-testid=deliveries] td:has-text('200')").waitFor();
  await shot(page, "notify-log");
});

test("no script errors happened", () => {
  assert.deepEqual(pageErrors, []);
});
