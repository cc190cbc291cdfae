// The two Idempotency-Key faults of the core issue, as a merchant meets them in
// the browser: a transfer retried after a wrong payment password, and a transfer
// whose answer is lost on the way back after the server has committed it. Each
// must pay exactly once, and every send of one form carries one key.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launch, shot } from "./browser.mjs";
import { DEMO, recharge, signIn } from "./helpers.mjs";

const PAYEE = "shop@paydesk.test";
let server, browser, applicant;
const pageErrors = [];
/** The Idempotency-Key of every transfer POST, in order. */
const keys = [];

before(async () => {
  server = await startServer();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  applicant = await context.newPage();
  applicant.on("pageerror", (e) => pageErrors.push(String(e)));
  applicant.on("request", (r) => {
    if (r.method() === "POST" && r.url().endsWith("/api/v1/transfers")) keys.push(r.headers()["idempotency-key"]);
  });
  await signIn(applicant, server.url, { merchant: DEMO.merchant, operator: "applicant", password: "Apply123!" });
  await applicant.waitForURL("**/account/home");
  await recharge(applicant, server.url, "100");
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function available() {
  await applicant.goto(server.url + "/account/home");
  await applicant.locator("[data-testid=available]").waitFor();
  return applicant.locator("[data-testid=available]").textContent();
}

async function fillTransfer(amount, paymentPassword) {
  await applicant.goto(server.url + "/funds/transfer");
  await applicant.fill("input[name=payee-0]", PAYEE);
  await applicant.fill("input[name=amount-0]", amount);
  await applicant.click("button[type=submit]");
  await applicant.locator("[data-testid=confirm-step]").waitFor();
  await applicant.fill("input[name=payment_password]", paymentPassword);
}

test("a wrong payment password, corrected, pays once", async () => {
  keys.length = 0;
  await fillTransfer("7", "Wrong0000!");
  await applicant.click("[data-testid=confirm-step] button[type=submit]");
  await applicant.locator(".field-error[data-field=payment_password]").waitFor();
  await applicant.fill("input[name=payment_password]", "Pay123456!");
  await applicant.click("[data-testid=confirm-step] button[type=submit]");
  await applicant.locator("[data-testid=transfer-result][data-status=pending_review]").waitFor();
  await shot(applicant, "idempotency-corrected-password");
  assert.equal(keys.length, 2);
  assert.equal(await available(), "¥ 93.00", "one transfer of 7.00 held");
});

test("an answer lost after the server committed is fetched again with the same key, not paid twice", async () => {
  keys.length = 0;
  let dropped = false;
  await applicant.route("**/api/v1/transfers", async (route) => {
    if (dropped) return route.continue();
    dropped = true;
    // The request reaches the server and commits; the answer never reaches the page.
    await route.fetch();
    await route.abort("connectionreset");
  });
  await fillTransfer("9", "Pay123456!");
  await applicant.click("[data-testid=confirm-step] button[type=submit]");
  await applicant.locator("[data-testid=transfer-result][data-status=pending_review]").waitFor();
  await shot(applicant, "idempotency-lost-answer");
  await applicant.unroute("**/api/v1/transfers");
  assert.ok(dropped, "the first answer was dropped");
  assert.equal(keys.length, 2, "the page sent the request again by itself");
  assert.equal(keys[0], keys[1], "with the same Idempotency-Key");
  assert.equal(await available(), "¥ 84.00", "one transfer of 9.00 held, not two");
  assert.deepEqual(pageErrors, []);
});
