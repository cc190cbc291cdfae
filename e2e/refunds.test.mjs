// 交易记录 and refunds in Chromium (issue 13): a buyer pays two trades through
// the demo merchant's open-amount QR code; the applicant finds one in 交易记录
// by keyword, refunds part of it and then the rest (the fee share shown by the
// domain's rule), the auditor approves both in 退款审核, the sandbox bank
// returns them, and the detail page shows the 退款记录; the other trade is
// found by its merchant order number as a 历史订单退款 and refunded through a
// 批量退款 file the auditor approves; the export of the filter equals the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readSheet } from "read-excel-file/node";
import { startServer } from "./server.mjs";
import { launch, shot } from "./browser.mjs";
import { DEMO, batchFile, demoAdminPage, signIn, smsCode, template } from "./helpers.mjs";

const AUDITOR_PHONE = "13700137000";
let server, browser, admin, applicant, auditor;
const pageErrors = [];
const trades = [];

async function operatorPage(operator, password) {
  const p = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  p.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(p, server.url, { merchant: DEMO.merchant, operator, password });
  await p.waitForURL("**/account/home");
  return p;
}

/** A buyer pays `amount` through the QR code on a phone; resolves to the trade number. */
async function buyerPays(codeUrl, amount) {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const buyer = await phone.newPage();
  buyer.on("pageerror", (e) => pageErrors.push(String(e)));
  await buyer.goto(codeUrl);
  await buyer.fill("input[name=amount]", amount);
  await buyer.click("button:has-text('付款')");
  await buyer.waitForURL("**/cashier/*");
  const tradeNo = buyer.url().split("/cashier/")[1];
  await buyer.click("button[name=bank][value=ICBC]");
  await buyer.locator("button[name=pay]").click();
  await buyer.waitForURL("**/result");
  await buyer.locator("[data-status=completed]").waitFor({ timeout: 15000 });
  await phone.close();
  return tradeNo;
}

before(async () => {
  server = await startServer();
  browser = await launch();
  admin = await demoAdminPage(browser, server.url, pageErrors);
  applicant = await operatorPage("applicant", "Apply123!");
  auditor = await operatorPage("auditor", "Audit123!");
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a buyer pays two trades through the merchant's QR code", async () => {
  await admin.goto(server.url + "/apps/collect");
  await admin.fill("input[name=qr_name]", "门店收款");
  await admin.click("button[name=create-qr]");
  const row = admin.locator("[data-testid=qr-code]").first();
  await row.waitFor();
  const codeUrl = await row.getAttribute("data-qr-url");
  trades.push(await buyerPays(codeUrl, "30.00"));
  trades.push(await buyerPays(codeUrl, "20.00"));
  assert.equal(trades.length, 2);
});

test("the applicant finds a trade by keyword and refunds part, then the rest", async () => {
  await applicant.click("nav.channels a:has-text('交易管理')");
  await applicant.waitForURL("**/trade/records");
  const list = applicant.locator("[data-testid=records]");
  await list.waitFor();
  assert.equal(await list.locator("tbody tr").count(), 2, "both trades, newest first");
  await applicant.fill("input[name=q]", trades[0]);
  await applicant.click("button[name=query]");
  await applicant.locator("[data-testid=records] tbody tr").nth(1).waitFor({ state: "detached" });
  const row = applicant.locator(`[data-testid=records] tr[data-trade-no="${trades[0]}"]`);
  assert.match(await row.textContent(), /30\.00[\s\S]*交易成功/);
  await shot(applicant, "records-keyword");

  await row.locator("[data-testid=refund-link]").click();
  await applicant.waitForURL(`**/trade/refund/${trades[0]}`);
  assert.equal((await applicant.locator("[data-testid=refundable]").textContent()).trim(), "30.00");
  await applicant.check("input[name=full][value=partial]");
  await applicant.fill("input[name=amount]", "12.00");
  await applicant.fill("input[name=remark]", "少发一件");
  await applicant.fill("input[name=payment_password]", "Pay123456!");
  await shot(applicant, "refund-partial");
  await applicant.click("button[name=confirm]");
  const done = applicant.locator("[data-testid=refund-result][data-status=pending_review]");
  await done.waitFor();
  assert.match(await done.textContent(), /退款申请成功[\s\S]*12\.00/);

  // The detail page lists it, waiting; the rest is refunded in full.
  await done.locator("a:has-text('查看交易详情')").click();
  await applicant.locator("[data-testid=refunds]").waitFor();
  assert.match(await applicant.locator("[data-testid=refunds]").textContent(), /12\.00[\s\S]*待审核/);
  assert.equal((await applicant.locator("[data-testid=refunded]").textContent()).trim(), "12.00元");
  await applicant.click("[data-testid=refund-button]");
  await applicant.locator("[data-testid=refundable]").waitFor();
  assert.equal((await applicant.locator("[data-testid=refundable]").textContent()).trim(), "18.00");
  await applicant.fill("input[name=payment_password]", "Pay123456!");
  await applicant.click("button[name=confirm]");
  await applicant.locator("[data-testid=refund-result][data-status=pending_review]").waitFor();
});

test("the auditor approves both refunds and the bank returns them", async () => {
  for (let i = 0; i < 2; i++) {
    await auditor.goto(server.url + "/review/refunds");
    const row = auditor.locator("[data-testid=review-list] tbody tr:has-text('待审核')").first();
    await row.waitFor();
    assert.equal((await row.locator("[data-testid=original-trade-no]").textContent()).trim(), trades[0]);
    assert.match(await row.locator("[data-testid=original-order-no]").textContent(), /^QR\d+/);
    await row.locator("a:has-text('查看详情')").click();
    await auditor.locator("[data-testid=decision-form]").waitFor();
    await auditor.fill("[data-testid=decision-form] input[name=payment_password]", "Pay123456!");
    await smsCode(auditor, server.url, AUDITOR_PHONE);
    if (i === 0) await shot(auditor, "refund-review");
    await auditor.click("button[name=confirm-review]");
    await auditor.locator("[data-testid=review-detail][data-status=processing]").waitFor();
  }
  assert.equal((await auditor.request.post(`${server.url}/sandbox/bank/payouts/run?hours=3`)).status(), 200);
  await applicant.goto(`${server.url}/trade/records/${trades[0]}`);
  const refunds = applicant.locator("[data-testid=refunds]");
  await refunds.waitFor();
  assert.deepEqual(
    (await refunds.locator("[data-testid=refund-status]").allTextContents()).map((s) => s.trim()),
    ["退款成功", "退款成功"],
  );
  assert.equal((await applicant.locator("[data-testid=refunded]").textContent()).trim(), "30.00元");
  assert.equal(await applicant.locator("[data-testid=refund-button]").count(), 0, "nothing left to refund");
  await shot(applicant, "trade-detail-refunded");
});

test("the other trade is found by its merchant order number (历史订单退款)", async () => {
  await applicant.goto(`${server.url}/trade/records/${trades[1]}`);
  await applicant.locator("[data-testid=no-refunds]").waitFor();
  const orderNo = (await applicant.locator("[data-testid=order-info] td").nth(1).textContent()).trim();
  await applicant.goto(server.url + "/trade/records");
  await applicant.fill("input[name=history_order_no]", orderNo);
  await applicant.click("[data-testid=history-refund] button[type=submit]");
  await applicant.waitForURL(`**/trade/records/${trades[1]}`);
  assert.equal((await applicant.locator("[data-testid=trade-no]").textContent()).trim(), trades[1]);
});

test("the other trade is refunded through a batch file the auditor approves", async () => {
  await applicant.goto(`${server.url}/trade/records/${trades[1]}`);
  const orderNo = (await applicant.locator("[data-testid=order-info] td").nth(1).textContent()).trim();
  await applicant.goto(server.url + "/trade/records");
  await applicant.click("[data-testid=batch-refund-link]");
  await applicant.waitForURL("**/trade/batch-refund");
  const head = await template(applicant, "refund");
  assert.deepEqual(head[2], ["原商户订单号", "退款商户订单号", "退款金额", "退款备注"]);
  await applicant.setInputFiles("input[name=batch-file]", batchFile(head, "E2ERB1", [[orderNo, "E2ERF1", "20.00", "整单退货"]]));
  const confirm = applicant.locator("[data-testid=batch-confirm]");
  await confirm.waitFor();
  assert.equal(await applicant.locator("[data-testid=batch-count]").textContent(), "1");
  assert.equal(await applicant.locator("[data-testid=batch-total]").textContent(), "20.00");
  assert.equal(await applicant.locator("[data-testid=original-fee]").textContent(), "0.00");
  assert.match(await applicant.locator("[data-testid=batch-lines]").textContent(), new RegExp(`${trades[1]}[\\s\\S]*E2ERF1[\\s\\S]*可退款`));
  await applicant.fill("[data-testid=batch-confirm] input[name=payment_password]", "Pay123456!");
  await shot(applicant, "batch-refund-confirm");
  await applicant.click("button[name=confirm-batch]");
  await applicant.locator("[data-testid=batch-done][data-status=pending_review]").waitFor();

  await auditor.goto(server.url + "/review/refunds");
  const row = auditor.locator("[data-testid=review-list] tbody tr:has-text('E2ERB1')").first();
  await row.waitFor();
  await row.locator("a:has-text('查看详情')").click();
  await auditor.locator("[data-testid=decision-form]").waitFor();
  await auditor.fill("[data-testid=decision-form] input[name=payment_password]", "Pay123456!");
  await smsCode(auditor, server.url, AUDITOR_PHONE);
  await auditor.click("button[name=confirm-review]");
  await auditor.locator("[data-testid=review-detail][data-status=processing]").waitFor();
  assert.equal((await auditor.request.post(`${server.url}/sandbox/bank/payouts/run?hours=3`)).status(), 200);
  await applicant.goto(`${server.url}/trade/records/${trades[1]}`);
  await applicant.locator("[data-testid=refunds]").waitFor();
  assert.deepEqual(
    (await applicant.locator("[data-testid=refund-status]").allTextContents()).map((s) => s.trim()),
    ["退款成功"],
  );
  assert.match(await applicant.locator("[data-testid=refunds]").textContent(), /E2ERF1/);
});

test("the export of the filter equals the page", async () => {
  await applicant.goto(server.url + "/trade/records");
  const list = applicant.locator("[data-testid=records]");
  await list.locator("tbody tr").nth(1).waitFor();
  const rows = await list.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 8).map((td) => td.textContent.trim())),
  );
  const download = applicant.waitForEvent("download");
  await applicant.click("button[name=export]");
  const file = await download;
  assert.match(file.suggestedFilename(), /^records-gateway-.*\.xlsx$/);
  const sheet = await readSheet(await file.path(), "交易记录");
  const header = sheet.findIndex((r) => String(r[1] ?? "").includes("交易订单号"));
  assert.ok(header >= 0, "the sheet has its header row");
  const money = (v) => Number(v).toFixed(2);
  const exported = sheet
    .slice(header + 1, header + 1 + rows.length)
    .map((r) => [String(r[1]), String(r[2] ?? ""), String(r[3]), money(r[4]), money(r[5]), money(r[6]), String(r[7])]);
  const shown = rows.map((r) => [r[1], r[2], r[3], r[4], r[5], r[6], r[7]]);
  assert.deepEqual(exported, shown, "the export's rows are the page's rows");
  assert.deepEqual(shown.map((r) => r[0]), [trades[1], trades[0]]);
  assert.deepEqual([shown[0][5], shown[1][5]], ["20.00", "30.00"], "退款金额");
  await shot(applicant, "records-refunded");
});

test("no script errors happened", () => {
  assert.deepEqual(pageErrors, []);
});
