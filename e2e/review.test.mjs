// Manual §3.5 and §3.7.5 in Chromium with the demo merchant: the applicant
// submits a bank payout and transfers, which wait with the money held; the
// auditor sees the number in the navigation, binds a security key (Chromium's
// virtual authenticator over CDP), approves the payout with it from its detail
// page and the bank pays it, rejects one transfer (its money returns to
// available) and approves three at once with the key.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launch, shot } from "./browser.mjs";
import { readFileSync } from "node:fs";
import { readSheet } from "read-excel-file/node";
import { DEMO, batchFile, pickBranch, recharge, signIn, smsCode, template, virtualKey } from "./helpers.mjs";

const PAYEE = "shop@paydesk.test";
const AUDITOR_PHONE = "13700137000";
let server, browser, applicant, auditor;
const pageErrors = [];

async function page(operator, password, url = server.url) {
  const p = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  p.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(p, url, { merchant: DEMO.merchant, operator, password });
  return p;
}

/** WebAuthn wants a host name: the auditor uses the server as http://localhost. */
let keyUrl;

/** The applicant's available balance on the home page. */
async function available() {
  await applicant.goto(server.url + "/account/home");
  await applicant.locator("[data-testid=available]").waitFor();
  return applicant.locator("[data-testid=available]").textContent();
}

before(async () => {
  server = await startServer();
  browser = await launch();
  applicant = await page("applicant", "Apply123!");
  await applicant.waitForURL("**/account/home");
  await recharge(applicant, server.url, "500");
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the applicant's bank payout and transfers wait with the money held", async () => {
  await applicant.goto(server.url + "/funds/transfer/bank");
  await applicant.locator("[data-testid=bank-transfer-form]").waitFor();
  await applicant.fill("input[name=name]", "李四");
  await pickBranch(applicant, "北京市", "中关村");
  await applicant.fill("input[name=account_number]", "6212261234561111");
  await applicant.fill("input[name=account_number_confirm]", "6212261234561111");
  await applicant.fill("input[name=amount]", "30");
  await applicant.check("input[name=agreement]");
  await applicant.fill("input[name=payment_password]", "Pay123456!");
  assert.equal(await applicant.locator("input[name=sms_code]").count(), 0, "an applicant needs no SMS code");
  await applicant.click("[data-testid=bank-transfer-form] button[type=submit]");
  await applicant.locator("[data-testid=bank-transfer-result][data-status=pending_review]").waitFor();
  for (const amount of ["5", "1", "2", "3"]) {
    await applicant.goto(server.url + "/funds/transfer");
    await applicant.fill("input[name=payee-0]", PAYEE);
    await applicant.fill("input[name=amount-0]", amount);
    await applicant.click("button[type=submit]");
    await applicant.locator("[data-testid=confirm-step]").waitFor();
    await applicant.fill("input[name=payment_password]", "Pay123456!");
    await applicant.click("[data-testid=confirm-step] button[type=submit]");
    await applicant.locator("[data-testid=transfer-result][data-status=pending_review]").waitFor();
  }
  assert.equal(await available(), "¥ 459.00");
  // The applicant may not review: no 审核管理 channel.
  assert.equal(await applicant.locator("nav.channels a:has-text('审核管理')").count(), 0);
});

test("the auditor binds a security key (virtual authenticator)", async () => {
  keyUrl = server.url.replace("127.0.0.1", "localhost");
  auditor = await page("auditor", "Audit123!", keyUrl);
  await auditor.waitForURL("**/account/home");
  const { cdp, authenticatorId } = await virtualKey(auditor);
  await auditor.click("nav.channels a:has-text('安全中心')");
  await auditor.locator("[data-testid=security-overview] [data-testid=security-level]").waitFor();
  assert.equal(await auditor.locator("[data-testid=security-key]").textContent(), "未绑定");
  await shot(auditor, "security-centre");
  await auditor.click(".subnav a:has-text('快捷盾')");
  await auditor.locator("[data-testid=key-status]").waitFor();
  assert.ok(auditor.url().endsWith("/security/key"), auditor.url());
  await auditor.locator("[data-testid=key-status][data-bound=false]").waitFor();
  await auditor.fill("[data-testid=key-form] input[name=licence_number]", "91350100M000100Y43");
  await auditor.fill("[data-testid=key-form] input[name=payment_password]", "Pay123456!");
  await smsCode(auditor, keyUrl, AUDITOR_PHONE);
  await auditor.click("button[name=bind-key]");
  await auditor.locator("[data-testid=key-status][data-bound=true]").waitFor();
  await auditor.locator("[data-testid=key-details]").waitFor();
  await shot(auditor, "security-key-details");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.equal(credentials.length, 1, "the key holds one credential for Paydesk");
  assert.equal(credentials[0].rpId, "localhost");
  await shot(auditor, "security-key-bound");
});

test("the auditor sees five waiting and approves the bank payout with the key", async () => {
  await auditor.goto(keyUrl + "/account/home");
  await auditor.locator("[data-testid=pending-count]").waitFor();
  assert.equal(await auditor.locator("[data-testid=pending-count]").textContent(), "5");
  assert.equal(await auditor.locator("nav.channels a:has-text('转账')").count(), 0, "no money-moving pages for an auditor");
  await auditor.click("nav.channels a:has-text('审核管理')");
  await auditor.waitForURL("**/review/pending");
  await auditor.locator("[data-testid=review-list] tbody tr").first().waitFor();
  assert.equal(await auditor.locator("[data-testid=review-list] tbody tr").count(), 5);
  await shot(auditor, "review-pending");
  const payout = auditor.locator("[data-testid=review-list] tbody tr:has-text('李四')");
  await payout.locator("a:has-text('查看详情')").click();
  await auditor.locator("[data-testid=review-detail]").waitFor();
  assert.match(await auditor.locator("[data-testid=review-detail]").textContent(), /转账到银行账户.*30\.00/s);
  await auditor.fill("[data-testid=decision-form] input[name=remark]", "同意");
  await auditor.fill("[data-testid=decision-form] input[name=payment_password]", "Pay123456!");
  await auditor.locator("[data-testid=decision-form] [data-testid=uses-key]").waitFor();
  assert.equal(await auditor.locator("[data-testid=decision-form] input[name=sms_code]").count(), 0, "the key replaces the SMS code");
  await shot(auditor, "review-detail");
  await auditor.click("button[name=confirm-review]");
  await auditor.locator("[data-testid=review-detail][data-status=processing]").waitFor();
  await auditor.locator("[data-testid=pending-count]:has-text('4')").waitFor();
  // The bank pays it the next day.
  assert.equal((await auditor.request.post(`${keyUrl}/sandbox/bank/payouts/run?hours=25`)).status(), 200);
  await auditor.reload();
  await auditor.locator("[data-testid=review-detail][data-status=succeeded]").waitFor();
});

test("a rejected transfer gives its money back", async () => {
  await auditor.goto(keyUrl + "/review/pending");
  const row = auditor.locator("[data-testid=review-list] tbody tr:has-text('-5.00')");
  await row.locator("a:has-text('查看详情')").click();
  await auditor.locator("[data-testid=decision-form]").waitFor();
  await auditor.check("input[name=decision][value=reject]");
  assert.equal(await auditor.locator("[data-testid=decision-form] input[name=payment_password]").count(), 0);
  await auditor.fill("[data-testid=decision-form] input[name=remark]", "金额有误");
  await auditor.click("button[name=confirm-review]");
  await auditor.locator("[data-testid=review-detail][data-status=rejected]").waitFor();
  assert.equal(await available(), "¥ 464.00", "the 5.00 is available again");
});

test("three transfers are approved in one bulk review with the key", async () => {
  await auditor.goto(keyUrl + "/review/pending");
  await auditor.locator("[data-testid=review-list] tbody tr").first().waitFor();
  assert.equal(await auditor.locator("[data-testid=review-list] tbody tr").count(), 3);
  await auditor.check("input[name=check-all]");
  await auditor.locator("[data-testid=bulk-review]").waitFor();
  assert.match(await auditor.locator("[data-testid=bulk-review] h2").textContent(), /3/);
  await auditor.fill("[data-testid=bulk-review] input[name=payment_password]", "Pay123456!");
  await shot(auditor, "review-bulk");
  await auditor.click("button[name=confirm-review]");
  await auditor.locator("[data-testid=review-outcome]").waitFor();
  assert.match(await auditor.locator("[data-testid=review-outcome]").textContent(), /已处理 3/);
  await auditor.locator("[data-testid=no-reviews]").waitFor();
  assert.equal(await auditor.locator("[data-testid=pending-count]").count(), 0);
  // 转账审核 lists them as approved, 申请记录 shows every application.
  await auditor.goto(keyUrl + "/review/transfers");
  await auditor.check("input[name=status][value=approved]");
  await auditor.click("button[name=search]");
  await auditor.locator("[data-testid=review-list] tbody tr[data-id]").first().waitFor();
  assert.equal(await auditor.locator("[data-testid=review-list] tbody tr").count(), 4);
  await shot(auditor, "review-transfers");
});

test("the applicant withdraws a waiting transfer from 申请记录 (撤销)", async () => {
  const before = await available();
  await applicant.goto(server.url + "/funds/transfer");
  await applicant.fill("input[name=payee-0]", PAYEE);
  await applicant.fill("input[name=amount-0]", "7");
  await applicant.click("button[type=submit]");
  await applicant.locator("[data-testid=confirm-step]").waitFor();
  await applicant.fill("input[name=payment_password]", "Pay123456!");
  await applicant.click("[data-testid=confirm-step] button[type=submit]");
  await applicant.locator("[data-testid=transfer-result][data-status=pending_review]").waitFor();
  await applicant.goto(server.url + "/trade/applications");
  const cancel = applicant.locator("[data-testid=review-list] button[name^=cancel-]");
  await cancel.waitFor();
  assert.equal(await cancel.count(), 1, "only the waiting one can be withdrawn");
  await cancel.click();
  await applicant.locator("[data-testid=review-list] td[data-status=cancelled]").waitFor();
  await shot(applicant, "application-records");
  assert.equal(await available(), before, "the 7.00 is available again");
});

const BRANCH = ["工商银行", "上海市", "上海市", "中国工商银行股份有限公司上海市陆家嘴支行"];

test("a batch file with problems creates nothing and says where", async () => {
  await applicant.goto(server.url + "/funds/batch");
  const head = await template(applicant, "platform_transfer");
  assert.match(head[0][0], /模板更新于 \d{4}-\d{2}-\d{2}/);
  const bad = batchFile(head, "E2EBAD1", [
    [PAYEE, "1.00", "", "", "BAD1"],
    ["nobody@paydesk.test", "1.00", "", "", "BAD2"],
    [PAYEE, "0", "", "", "BAD3"],
  ]);
  await applicant.setInputFiles("input[name=batch-file]", bad);
  await applicant.locator("[data-testid=batch-problems]").waitFor();
  const codes = await applicant.locator("[data-testid=batch-problems] tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.code));
  assert.deepEqual(codes, ["payee_not_found", "amount_zero"]);
  const download = applicant.waitForEvent("download");
  await applicant.click("button[name=download-problems]");
  const copy = await readSheet(readFileSync(await (await download).path()));
  assert.equal(copy[2].at(-1), "问题 Problems");
  await shot(applicant, "batch-problems");
});

test("a 50-row bank batch: the auditor approves it with the key, the bank pays most lines", async () => {
  await applicant.goto(server.url + "/funds/batch");
  await applicant.click("button[data-tab=bank]");
  const head = await template(applicant, "bank_transfer");
  const rows = [];
  for (let i = 1; i <= 50; i += 1) {
    // The sandbox bank fails an account ending 0000 and returns one ending 9999 an hour after paying it.
    const account = i === 2 ? "6222020000000000" : i === 3 ? "6222020000009999" : `62220200000${String(i).padStart(5, "0")}`;
    rows.push(["上海示例有限公司", ...BRANCH, account, "1.00", "对公", "", "货款", `E2EBK${i}`]);
  }
  await applicant.setInputFiles("input[name=batch-file]", batchFile(head, "E2EBANK1", rows));
  await applicant.locator("[data-testid=batch-confirm]").waitFor();
  assert.equal(await applicant.locator("[data-testid=batch-count]").textContent(), "50");
  assert.equal(await applicant.locator("[data-testid=batch-lines] tbody tr").count(), 20, "paged 20 a page");
  await applicant.fill("[data-testid=batch-confirm] input[name=payment_password]", "Pay123456!");
  await shot(applicant, "batch-confirm");
  await applicant.click("button[name=confirm-batch]");
  await applicant.locator("[data-testid=batch-done][data-status=pending_review]").waitFor();

  await auditor.goto(keyUrl + "/review/transfers");
  const row = auditor.locator("[data-testid=review-list] tbody tr:has-text('E2EBANK1')");
  await row.locator("a:has-text('查看详情')").click();
  await auditor.locator("[data-testid=batch-no]").waitFor();
  assert.equal(await auditor.locator("[data-testid=detail-lines] tbody tr").count(), 20);
  await auditor.fill("[data-testid=decision-form] input[name=payment_password]", "Pay123456!");
  await auditor.locator("[data-testid=decision-form] [data-testid=uses-key]").waitFor();
  await auditor.click("button[name=confirm-review]");
  await auditor.locator("[data-testid=review-detail][data-status=processing]").waitFor();
  assert.equal((await auditor.request.post(`${keyUrl}/sandbox/bank/payouts/run?hours=25`)).status(), 200);
  assert.equal((await auditor.request.post(`${keyUrl}/sandbox/bank/payouts/run?hours=27`)).status(), 200);
  await auditor.reload();
  await auditor.locator("[data-testid=review-detail][data-status=partially_succeeded]").waitFor();
  assert.equal(await auditor.locator("[data-testid=batch-succeeded]").textContent(), "48 / 48.00");
  assert.equal(await auditor.locator("[data-testid=batch-failed]").textContent(), "2 / 2.00");
  assert.equal(await auditor.locator("[data-testid=detail-lines] tr[data-line-status=failed]").count(), 1);
  assert.equal(await auditor.locator("[data-testid=detail-lines] tr[data-line-status=returned]").count(), 1);
  await shot(auditor, "batch-detail");
  const download = auditor.waitForEvent("download");
  await auditor.click("button[name=export-lines]");
  const lines = await readSheet(readFileSync(await (await download).path()));
  assert.equal(lines.length, 3 + 50);
  assert.deepEqual([lines[4][7], lines[5][7]], ["失败", "退票"]);
});

test("payroll and a platform batch go through; 20 bank contacts are imported", async () => {
  await applicant.goto(server.url + "/apps/payroll");
  const head = await template(applicant, "payroll");
  const wages = [1, 2, 3].map((i) => [`员工${i}`, ...BRANCH, `62220211000000${String(i).padStart(2, "0")}`, "10.00", "", "十一月工资", `E2EPAY${i}`]);
  await applicant.setInputFiles("input[name=batch-file]", batchFile(head, "E2EPAY", wages));
  await applicant.locator("[data-testid=batch-confirm]").waitFor();
  await applicant.fill("[data-testid=batch-confirm] input[name=payment_password]", "Pay123456!");
  await applicant.click("button[name=confirm-batch]");
  await applicant.locator("[data-testid=batch-done][data-status=pending_review]").waitFor();
  await shot(applicant, "payroll-done");
  await applicant.reload();
  await applicant.locator("[data-testid=payroll-records] tr:has-text('E2EPAY')").waitFor();

  await applicant.goto(server.url + "/funds/batch");
  const platform = await template(applicant, "platform_transfer");
  await applicant.setInputFiles("input[name=batch-file]", batchFile(platform, "E2EPLAT", [1, 2].map((i) => [PAYEE, "2.00", "", "", `E2EPL${i}`])));
  await applicant.locator("[data-testid=batch-confirm]").waitFor();
  assert.equal(await applicant.locator("[data-testid=batch-total]").textContent(), "4.00");
  await applicant.fill("[data-testid=batch-confirm] input[name=payment_password]", "Pay123456!");
  await applicant.click("button[name=confirm-batch]");
  await applicant.locator("[data-testid=batch-done][data-status=pending_review]").waitFor();

  // The auditor approves the platform batch (paid at once) and the payroll (with the bank).
  await auditor.goto(keyUrl + "/review/transfers");
  const plat = auditor.locator("[data-testid=review-list] tbody tr:has-text('E2EPLAT')");
  await plat.locator("a:has-text('查看详情')").click();
  await auditor.fill("[data-testid=decision-form] input[name=payment_password]", "Pay123456!");
  await auditor.click("button[name=confirm-review]");
  await auditor.locator("[data-testid=review-detail][data-status=succeeded]").waitFor();
  assert.equal(await auditor.locator("[data-testid=detail-lines] tr[data-line-status=succeeded]").count(), 2);
  await auditor.goto(keyUrl + "/review/applications");
  const pay = auditor.locator("[data-testid=review-list] tbody tr:has-text('E2EPAY')");
  await pay.locator("a:has-text('查看详情')").click();
  await auditor.fill("[data-testid=decision-form] input[name=payment_password]", "Pay123456!");
  await auditor.click("button[name=confirm-review]");
  await auditor.locator("[data-testid=review-detail][data-status=processing]").waitFor();
  assert.equal((await auditor.request.post(`${keyUrl}/sandbox/bank/payouts/run?hours=25`)).status(), 200);
  await auditor.reload();
  await auditor.locator("[data-testid=review-detail][data-status=succeeded]").waitFor();

  const contacts = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  contacts.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(contacts, server.url, { merchant: DEMO.merchant, password: DEMO.password });
  await contacts.waitForURL("**/account/home");
  await contacts.goto(server.url + "/account/contacts");
  await contacts.click("button[data-tab=bank]");
  await contacts.click("button[name=import-contacts]");
  const list = await template(contacts, "bank_contacts");
  const people = [];
  for (let i = 1; i <= 20; i += 1) people.push([`联系人${i}`, ...BRANCH, `62220233000000${String(i).padStart(2, "0")}`, "供应商"]);
  await contacts.setInputFiles("input[name=batch-file]", batchFile(list, "", people));
  await contacts.locator("[data-testid=batch-contacts]").waitFor();
  await contacts.click("button[name=confirm-batch]");
  await contacts.locator("[data-testid=contacts-added]:has-text('20')").waitFor();
  await contacts.locator("[data-testid=contacts] tbody tr").first().waitFor();
  await shot(contacts, "contacts-imported");
  await contacts.context().close();
});

test("no script errors happened", () => {
  assert.deepEqual(pageErrors, []);
});
