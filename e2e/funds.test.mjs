// Manual §3.4 in Chromium with the demo merchant, in the order of the funds issue:
// recharge 1,000.00 through the sandbox bank's online banking → transfer 100.00
// to another merchant → bank payout 50.00 (to a saved bank contact) → a payout to
// a returning test account comes back → fast withdrawal 20.00 → the statement
// shows every row with its balance after → the exported xlsx holds the same rows.
// The server runs with a 1-second SMS cool-down (development only).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launch, shot } from "./browser.mjs";
import { DEMO, pickBranch, signIn, smsCode as askSmsCode } from "./helpers.mjs";
import { readSheet } from "read-excel-file/node";

const PAYEE = "shop@paydesk.test";
let server, browser, page;
const pageErrors = [];

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(page, server.url, { merchant: DEMO.merchant, password: DEMO.password });
  await page.waitForURL("**/account/home");
});

/** Asks for an SMS code for the demo admin on the current form and types it in. */
function smsCode() {
  return askSmsCode(page, server.url, "13800138000");
}

/** Moves the sandbox bank's clock `hours` ahead of now and lets it settle payouts. */
async function bankClock(hours) {
  assert.equal((await page.request.post(`${server.url}/sandbox/bank/payouts/run?hours=${hours}`)).status(), 200);
}

/** The statement's rows as the page shows them: [income, expense, balance after, remark]. */
async function statementRows() {
  await page.goto(server.url + "/trade/statement");
  await page.locator("[data-testid=statement]").waitFor();
  return page.locator("[data-testid=statement] tbody tr").evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll("td")].slice(1).map((td) => td.textContent.trim())),
  );
}

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
  assert.equal(await page.locator("[data-testid=fee]").textContent(), "0.00", "the manual's default fee");
  await page.click("button[type=submit]");
  await page.locator("[data-testid=confirm-step]").waitFor();
  await page.fill("input[name=payment_password]", "Pay123456!");
  await smsCode();
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

test("the admin lets one person complete bank payouts (审核设置)", async () => {
  // By default a bank payout waits for a second person; the review e2e covers that path.
  await page.goto(server.url + "/account/settings");
  const select = page.locator("select[name=policy-bank_payout]");
  await select.waitFor();
  assert.equal(await select.inputValue(), "maker_checker");
  await select.selectOption("single");
  // Who must review money is changed only with the payment password and the second factor.
  const confirm = page.locator("[data-testid=confirm-policy]");
  await confirm.waitFor();
  await confirm.locator("input[name=payment_password]").fill("Pay123456!");
  await smsCode();
  await shot(page, "review-policy");
  const saved = page.waitForResponse((r) => r.url().endsWith("/api/v1/me") && r.status() === 200);
  await confirm.locator("button[type=submit]").click();
  await saved;
  await confirm.waitFor({ state: "detached" });
  assert.equal(await select.inputValue(), "single");
});

test("a bank payout of 50.00 to a saved bank contact is paid by the bank", async () => {
  await page.goto(server.url + "/account/contacts");
  await page.click("button[data-tab=bank]");
  await page.click("button[name=add-contact]");
  const form = page.locator("[data-testid=add-bank-contact]");
  await form.waitFor();
  await form.locator("input[name=name]").fill("李四");
  await pickBranch(form, "北京市", "中关村");
  await form.locator("input[name=account_number]").fill("6212261234561111");
  await form.locator("button[type=submit]").click();
  await page.locator("[data-testid=contacts] td:has-text('*****1111')").waitFor();

  await page.goto(server.url + "/funds/transfer/bank");
  await page.locator("[data-testid=bank-transfer-form]").waitFor();
  const option = page.locator("select[name=bank-contact] option:has-text('*****1111')");
  await option.waitFor({ state: "attached" });
  await page.selectOption("select[name=bank-contact]", await option.getAttribute("value"));
  await page.locator("[data-testid=chosen-contact]").waitFor();
  assert.match(await page.locator("[data-testid=chosen-contact]").textContent(), /李四.*\*{5}1111.*中关村/);
  assert.equal(await page.locator("input[name=account_number]").count(), 0, "the contact stands for the typed fields");
  await page.fill("input[name=amount]", "50");
  assert.equal(await page.locator("[data-testid=fee]").textContent(), "0.00");
  await page.check("input[name=agreement]");
  await page.fill("input[name=payment_password]", "Pay123456!");
  await smsCode();
  await shot(page, "bank-transfer-contact");
  await page.click("[data-testid=bank-transfer-form] button[type=submit]");
  await page.locator("[data-testid=bank-transfer-result][data-status=processing]").waitFor();
  assert.match(await page.locator("[data-testid=bank-transfer-result]").textContent(), /50\.00.*李四/);
  await bankClock(25); // T+1: paid out
  const rows = await statementRows();
  assert.deepEqual(rows[0].slice(1, 3), ["50.00", "800.00"]);
});

test("a bank payout of 50.00 to a returning test account comes back", async () => {
  await page.goto(server.url + "/funds/transfer/bank");
  await page.locator("[data-testid=bank-transfer-form]").waitFor();
  await page.check("input[name=account_type][value=personal]");
  await page.fill("input[name=name]", "王五");
  await pickBranch(page, "北京市", "中关村");
  // Test account numbers ending 9999 are paid and then returned by the sandbox bank.
  await page.fill("input[name=account_number]", "6212261234569999");
  await page.fill("input[name=account_number_confirm]", "6212261234569999");
  await page.fill("input[name=amount]", "50");
  await page.check("input[name=agreement]");
  await page.fill("input[name=payment_password]", "Pay123456!");
  await smsCode();
  await shot(page, "bank-transfer");
  await page.click("[data-testid=bank-transfer-form] button[type=submit]");
  await page.locator("[data-testid=bank-transfer-result][data-status=processing]").waitFor();
  await bankClock(25); // paid out …
  await bankClock(27); // … and an hour later the bank returns it (退票)
  const rows = await statementRows();
  assert.deepEqual(rows.slice(0, 2).map((r) => r[2]), ["800.00", "750.00"], "the returned 50.00 is back on its own line");
  assert.match(rows[0][3], /退票/);
  await shot(page, "statement-returned");
});

test("the admin adds a bank card from the branch directory", async () => {
  await page.goto(server.url + "/account/settings");
  await page.locator("[data-testid=no-cards]").waitFor();
  await page.click("button[name=add-card]");
  await page.locator("[data-testid=add-card]").waitFor();
  await page.selectOption("select[name=bank]", "ICBC");
  await pickBranch(page, "上海市", "黄金城道");
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
  assert.equal(await page.locator("[data-testid=fee]").textContent(), "0.00");
  await page.fill("input[name=payment_password]", "Pay123456!");
  await smsCode();
  await shot(page, "withdraw");
  await page.click("[data-testid=withdraw-form] button[type=submit]");
  await page.locator("[data-testid=withdrawal-result][data-status=processing]").waitFor();
  await bankClock(30); // past the two hours of a fast withdrawal
});

test("the statement shows every row with its balance after, and the xlsx holds the same rows", async () => {
  const rows = await statementRows();
  // Newest first: withdrawal, 退票, payout, payout to the contact, the applicant's held transfer, transfer, recharge.
  assert.deepEqual(
    rows.map(([income, expense, after]) => [income, expense, after]),
    [
      ["", "20.00", "780.00"],
      ["50.00", "", "800.00"],
      ["", "50.00", "750.00"],
      ["", "50.00", "800.00"],
      ["", "50.00", "850.00"],
      ["", "100.00", "900.00"],
      ["1000.00", "", "1000.00"],
    ],
  );
  await shot(page, "statement-all");
  const download = page.waitForEvent("download");
  await page.click("button[name=export]");
  const file = await download;
  assert.match(file.suggestedFilename(), /^statement-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const sheet = await readSheet(await file.path(), "收支明细");
  const header = sheet.findIndex((r) => String(r[3] ?? "").includes("余额"));
  assert.ok(header >= 0, "the sheet has its header row");
  const money = (v) => (v === null || v === undefined || v === "" ? "" : Number(v).toFixed(2));
  const exported = sheet
    .slice(header + 1, header + 1 + rows.length)
    .map((r) => [money(r[1]), money(r[2]), money(r[3]), String(r[4] ?? "")]);
  assert.deepEqual(exported, rows, "the export's rows are the page's rows");
  const after = sheet.slice(header + 1 + rows.length);
  assert.ok(after.every((r) => r[1] === null && r[3] === null), "no amounts after the last row");
  assert.ok(after.some((r) => /共 7 条/.test(String(r[0]))), "the count line");
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
  await page.locator("[data-testid=no-contacts]").waitFor(); // the platform tab is empty so far
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
