// Manual §3.4 in Chromium with the demo merchant: recharge through the sandbox
// bank's online banking, a transfer confirmed with the payment password and an
// SMS code, an applicant's transfer left for review, and the statement.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launch, shot } from "./browser.mjs";
import { DEMO, signIn } from "./helpers.mjs";

const PAYEE = "shop@paydesk.test";
let server, browser, page;
let lastSms = 0;
const pageErrors = [];

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(page, server.url, { merchant: DEMO.merchant, password: DEMO.password });
  await page.waitForURL("**/account/home");
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("recharge 1,000.00 through the sandbox bank's online banking", async () => {
  await page.goto(server.url + "/funds/recharge");
  await page.fill("input[name=amount]", "1000");
  assert.equal(await page.locator(".words").first().textContent(), "壹仟元整");
  await page.fill("input[name=amount_confirm]", "1000.00");
  await page.check("input[name=bank][value=ICBC]");
  await shot(page, "recharge-form");
  await page.click("button[type=submit]");
  await page.waitForURL("**/sandbox/bank/pay/*");
  assert.equal(await page.getAttribute("[data-amount]", "data-amount"), "1000.00");
  await shot(page, "sandbox-bank");
  await page.click("button[name=pay]");
  await page.waitForURL("**/funds/recharge/result*");
  await page.locator("[data-testid=recharge-paid]").waitFor();
  await page.goto(server.url + "/account/home");
  await page.locator("[data-testid=available]").waitFor();
  assert.equal(await page.locator("[data-testid=available]").textContent(), "¥ 1000.00");
});

test("the admin transfers 100.00 with the payment password and an SMS code", async () => {
  await page.goto(server.url + "/funds/transfer");
  await page.fill("input[name=payee-0]", PAYEE);
  await page.fill("input[name=amount-0]", "100");
  await page.locator("[data-testid=payee-name-0]").waitFor();
  assert.equal(await page.locator("[data-testid=payee-name-0]").textContent(), "杭州**科技有限公司");
  await page.fill("input[name=remark]", "货款");
  assert.equal(await page.locator("[data-testid=total]").textContent(), "100.00");
  await page.click("button[type=submit]");
  await page.locator("[data-testid=confirm-step]").waitFor();
  await page.fill("input[name=payment_password]", "Pay123456!");
  await page.click("button[name=send-sms]");
  await page.locator("text=已发送至").waitFor();
  lastSms = Date.now();
  const sms = await (await page.request.get(`${server.url}/api/v1/dev/outbox?recipient=13800138000`)).json();
  const code = sms[0].body.match(/\d{6}/)[0];
  await page.fill("input[name=sms_code]", code);
  await shot(page, "transfer-confirm");
  await page.click("[data-testid=confirm-step] button[type=submit]");
  await page.locator("[data-testid=transfer-result][data-status=succeeded]").waitFor();
});

test("the statement shows each change with the balance after it", async () => {
  await page.goto(server.url + "/trade/statement");
  await page.locator("[data-testid=statement]").waitFor();
  assert.deepEqual(await page.locator("[data-testid=balance-after]").allTextContents(), ["900.00", "1000.00"]);
  await shot(page, "statement");
  const download = page.waitForEvent("download");
  await page.click("button[name=export]");
  const file = await download;
  assert.match(file.suggestedFilename(), /^statement-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const bytes = await import("node:fs").then((fs) => file.path().then((p) => fs.readFileSync(p)));
  assert.equal(bytes.subarray(0, 2).toString(), "PK", "an xlsx is a zip");
});

test("the funds overview shows the balances and the 30-day trend", async () => {
  await page.goto(server.url + "/funds/overview");
  await page.locator("[data-testid=overview-available]").waitFor();
  assert.equal(await page.locator("[data-testid=overview-available]").textContent(), "900.00");
  assert.equal(await page.locator("[data-testid=trend] polyline").count(), 1);
  await shot(page, "overview");
});

test("an applicant's transfer waits for review with the money held", async () => {
  const applicant = await (await browser.newContext()).newPage();
  applicant.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(applicant, server.url, { merchant: DEMO.merchant, operator: "applicant", password: "Apply123!" });
  await applicant.waitForURL("**/account/home");
  await applicant.goto(server.url + "/funds/transfer");
  await applicant.fill("input[name=payee-0]", PAYEE);
  await applicant.fill("input[name=amount-0]", "50");
  await applicant.click("button[type=submit]");
  await applicant.locator("[data-testid=confirm-step]").waitFor();
  assert.equal(await applicant.locator("input[name=sms_code]").count(), 0, "an applicant needs no SMS code");
  await applicant.fill("input[name=payment_password]", "Pay123456!");
  await applicant.click("[data-testid=confirm-step] button[type=submit]");
  await applicant.locator("[data-testid=transfer-result][data-status=pending_review]").waitFor();
  await applicant.goto(server.url + "/account/home");
  await applicant.locator("[data-testid=available]").waitFor();
  assert.equal(await applicant.locator("[data-testid=available]").textContent(), "¥ 850.00");
});

test("the admin adds a bank card from the branch directory", async () => {
  await page.goto(server.url + "/account/settings");
  await page.locator("[data-testid=no-cards]").waitFor();
  await page.click("button[name=add-card]");
  await page.locator("[data-testid=add-card]").waitFor();
  await page.selectOption("select[name=bank]", "ICBC");
  await page.locator("select[name=province] option[value=上海市]").waitFor({ state: "attached" });
  await page.selectOption("select[name=province]", "上海市");
  await page.selectOption("select[name=city]", "上海市");
  await page.locator("select[name=branch] option:has-text('黄金城道')").waitFor({ state: "attached" });
  const code = await page.locator("select[name=branch] option:has-text('黄金城道')").getAttribute("value");
  await page.selectOption("select[name=branch]", code);
  await page.fill("input[name=account_number]", "6222021234561332");
  await page.fill("input[name=account_number_confirm]", "6222021234561332");
  await page.fill("input[name=payment_password]", "Pay123456!");
  await shot(page, "add-card");
  await page.click("[data-testid=add-card] button[type=submit]");
  await page.locator("[data-testid=cards] td:has-text('*****1332')").waitFor();
  assert.match(await page.locator("[data-testid=cards]").textContent(), /上海示例贸易有限公司.*中国工商银行股份有限公司上海市黄金城道支行/);
});

test("a fast withdrawal of 20.00 to the card is paid out by the bank", async () => {
  await page.goto(server.url + "/funds/withdraw");
  await page.locator("[data-testid=withdraw-form]").waitFor();
  await page.locator("select[name=card] option:has-text('*****1332')").waitFor({ state: "attached" });
  const card = await page.locator("select[name=card] option:has-text('*****1332')").getAttribute("value");
  await page.selectOption("select[name=card]", card);
  await page.fill("input[name=amount]", "20");
  assert.equal(await page.locator("[data-testid=amount-words]").textContent(), "贰拾元整", "大写 as it is typed");
  await page.check("input[name=speed][value=fast]");
  await page.fill("input[name=payment_password]", "Pay123456!");
  // One SMS code a minute: wait out the cool-down since the transfer's code.
  const wait = 61_000 - (Date.now() - lastSms);
  if (wait > 0) await page.waitForTimeout(wait);
  await page.click("button[name=send-sms]");
  await page.locator("text=已发送至").waitFor();
  lastSms = Date.now();
  const sms = await (await page.request.get(`${server.url}/api/v1/dev/outbox?recipient=13800138000`)).json();
  await page.fill("input[name=sms_code]", sms[0].body.match(/\d{6}/)[0]);
  await shot(page, "withdraw");
  await page.click("[data-testid=withdraw-form] button[type=submit]");
  await page.locator("[data-testid=withdrawal-result][data-status=processing]").waitFor();
  // The sandbox bank's clock: two hours pass.
  const run = await page.request.post(`${server.url}/sandbox/bank/payouts/run?hours=3`);
  assert.equal(run.status(), 200);
  await page.goto(server.url + "/trade/statement");
  await page.locator("[data-testid=statement]").waitFor();
  assert.equal((await page.locator("[data-testid=balance-after]").allTextContents())[0], "830.00");
});

test("a bank payout of 50.00 to a returning test account comes back", async () => {
  await page.goto(server.url + "/funds/transfer/bank");
  await page.locator("[data-testid=bank-transfer-form]").waitFor();
  await page.check("input[name=account_type][value=personal]");
  await page.fill("input[name=name]", "李四");
  await page.locator("select[name=province] option[value=北京市]").waitFor({ state: "attached" });
  await page.selectOption("select[name=province]", "北京市");
  await page.selectOption("select[name=city]", "北京市");
  await page.locator("select[name=branch] option:has-text('中关村')").waitFor({ state: "attached" });
  await page.selectOption("select[name=branch]", await page.locator("select[name=branch] option:has-text('中关村')").getAttribute("value"));
  // Test account numbers ending 9999 are paid and then returned by the sandbox bank.
  await page.fill("input[name=account_number]", "6212261234569999");
  await page.fill("input[name=account_number_confirm]", "6212261234569999");
  await page.fill("input[name=amount]", "50");
  await page.check("input[name=agreement]");
  await page.fill("input[name=payment_password]", "Pay123456!");
  const wait = 61_000 - (Date.now() - lastSms);
  if (wait > 0) await page.waitForTimeout(wait);
  await page.click("button[name=send-sms]");
  await page.locator("text=已发送至").waitFor();
  const sms = await (await page.request.get(`${server.url}/api/v1/dev/outbox?recipient=13800138000`)).json();
  await page.fill("input[name=sms_code]", sms[0].body.match(/\d{6}/)[0]);
  await shot(page, "bank-transfer");
  await page.click("[data-testid=bank-transfer-form] button[type=submit]");
  await page.locator("[data-testid=bank-transfer-result][data-status=processing]").waitFor();
  // T+1 passes: paid out; an hour later the bank returns it (退票).
  assert.equal((await page.request.post(`${server.url}/sandbox/bank/payouts/run?hours=25`)).status(), 200);
  assert.equal((await page.request.post(`${server.url}/sandbox/bank/payouts/run?hours=27`)).status(), 200);
  await page.goto(server.url + "/trade/statement");
  await page.locator("[data-testid=statement]").waitFor();
  const balances = await page.locator("[data-testid=balance-after]").allTextContents();
  assert.deepEqual(balances.slice(0, 2), ["830.00", "780.00"], "the returned 50.00 is back on its own line");
  assert.match(await page.locator("[data-testid=statement] tbody tr").first().textContent(), /退票/);
  await shot(page, "statement-returned");
});

test("the card is deleted", async () => {
  await page.goto(server.url + "/account/settings");
  await page.locator("[data-testid=cards]").waitFor();
  page.once("dialog", (d) => d.accept());
  await page.click("button[name=delete-card]");
  await page.locator("[data-testid=no-cards]").waitFor();
});

test("a saved contact fills the transfer form", async () => {
  await page.goto(server.url + "/account/contacts");
  await page.locator("[data-testid=no-contacts]").waitFor();
  await page.click("button[name=add-contact]");
  await page.fill("[data-testid=add-platform-contact] input[name=account]", PAYEE);
  await page.click("[data-testid=add-platform-contact] button[type=submit]");
  await page.locator("[data-testid=contacts] td:has-text('shop@paydesk.test')").waitFor();
  await shot(page, "contacts");
  await page.goto(server.url + "/funds/transfer");
  await page.locator("select[name=contact] option:has-text('shop@paydesk.test')").waitFor({ state: "attached" });
  await page.selectOption("select[name=contact]", PAYEE);
  assert.equal(await page.inputValue("input[name=payee-0]"), PAYEE);
  await page.locator("[data-testid=payee-name-0]").waitFor();
});

test("no script errors happened", () => {
  assert.deepEqual(pageErrors, []);
});
