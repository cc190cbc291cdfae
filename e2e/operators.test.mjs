// Manual §3.3.3 in Chromium: the admin opens 操作员 with the payment password,
// adds a custom role and a member in it; the member sees only what the role
// allows; the operation log shows who did it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launch, shot } from "./browser.mjs";
import { DEMO, signIn, demoAdminPage } from "./helpers.mjs";

let server, browser, page;
const pageErrors = [];

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await demoAdminPage(browser, server.url, pageErrors);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the operator pages open with the payment password", async () => {
  await page.goto(server.url + "/account/operators");
  await page.locator("[data-testid=unlock-operators]").waitFor();
  await page.fill("input[name=payment_password]", "Wrong123!");
  await page.click("[data-testid=unlock-operators] button[type=submit]");
  await page.locator(".field-error[data-field=payment_password]").waitFor();
  await page.fill("input[name=payment_password]", "Pay123456!");
  await page.click("[data-testid=unlock-operators] button[type=submit]");
  await page.locator("[data-testid=operators] tr[data-login=applicant]").waitFor();
  assert.equal(await page.locator("[data-testid=operators] tbody tr").count(), 3);
});

test("a custom role and a member in it", async () => {
  await page.click("button[data-tab=roles]");
  await page.click("button[name=add-role]");
  await page.fill("[data-testid=role-form] input[name=name]", "出纳");
  await page.locator("input[name=perm-home]").waitFor();
  for (const p of ["home", "funds_overview", "transfer"]) await page.check(`input[name=perm-${p}]`);
  await shot(page, "role-form");
  await page.click("[data-testid=role-form] button[type=submit]");
  await page.locator("[data-testid=roles] tr[data-role=出纳]").waitFor();
  assert.match(await page.locator("[data-testid=roles] tr[data-role=出纳]").textContent(), /首页、资金总览、转账/);

  await page.click("button[data-tab=members]");
  await page.click("button[name=add-operator]");
  const form = page.locator("[data-testid=operator-form]");
  await form.locator("input[name=login_name]").fill("cashier");
  await form.locator("input[name=display_name]").fill("出纳小王");
  await form.locator("input[name=password]").fill("Cash1234!");
  await form.locator("select[name=role] option:has-text('出纳')").waitFor({ state: "attached" });
  await form.locator("select[name=role]").selectOption({ label: "出纳" });
  await form.locator("button[type=submit]").click();
  await page.locator("[data-testid=operators] tr[data-login=cashier]").waitFor();
  await shot(page, "operators");
});

test("the member sees only what the role allows", async () => {
  const cashier = await (await browser.newContext()).newPage();
  cashier.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(cashier, server.url, { merchant: DEMO.merchant, operator: "cashier", password: "Cash1234!" });
  // The admin chose this password: the first sign-in asks for the cashier's own.
  await cashier.waitForURL("**/security/login-password");
  await cashier.locator("[data-testid=password-change-required]").waitFor();
  await shot(cashier, "first-sign-in-password");
  await cashier.fill("input[name=old_password]", "Cash1234!");
  await cashier.fill("input[name=new_password]", "MyOwn-5678");
  await cashier.fill("input[name=new_password_confirm]", "MyOwn-5678");
  await cashier.click("[data-testid=login-password-form] button[type=submit]");
  await cashier.waitForURL("**/account/home");
  const channels = await cashier.locator("nav.channels a").allTextContents();
  assert.deepEqual(channels.map((c) => c.trim()), ["我的账户", "资金管理", "安全中心", "应用中心"]);
  await cashier.click("nav.channels a:has-text('资金管理')");
  const pages = await cashier.locator(".subnav a").allTextContents();
  assert.deepEqual(pages, ["资金总览", "转账", "批量转账"]);
});

test("the operation log says who did it", async () => {
  await page.goto(server.url + "/security/log");
  await page.locator("[data-testid=operation-log] tbody tr").first().waitFor();
  const text = await page.locator("[data-testid=operation-log]").textContent();
  assert.match(text, /POST \/api\/v1\/operators/);
  assert.match(text, /POST \/api\/v1\/roles/);
  await shot(page, "operation-log");
});

test("no script errors happened", () => {
  assert.deepEqual(pageErrors, []);
});
