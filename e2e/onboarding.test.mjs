// Manual §2 and §3.1 end to end in Chromium: a company registers, verifies
// itself with uploaded scans, staff approve it, it confirms the micro-deposit,
// and its home page says verified. Then the sign-in lockout and its lifting.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launch, shot } from "./browser.mjs";
import { jpeg, outboxLink, signIn, smsCode, solveCaptcha, staffSignIn, upload } from "./helpers.mjs";

const EMAIL = "finance@e2e-trading.cn";
const COMPANY = "杭州测试贸易有限公司";
const PASSWORD = "Login123!";
const ACCOUNT = "6222021234561332";

let server, browser, merchant, staff;
const pageErrors = [];

before(async () => {
  server = await startServer();
  browser = await launch();
  merchant = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  staff = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  for (const p of [merchant, staff]) p.on("pageerror", (e) => pageErrors.push(String(e)));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a company registers through the e-mailed link", async () => {
  const page = merchant;
  await page.goto(server.url + "/register");
  await page.fill("input[name=email]", EMAIL);
  const first = await solveCaptcha(page);
  await page.click("button[type=submit]");
  // The agreement must be accepted first; a refused attempt brings a new picture.
  await page.locator("[data-field=agreement_accepted]").waitFor();
  await page.check("input[name=agreement]");
  await solveCaptcha(page, first);
  await page.click("button[type=submit]");
  await page.locator("[data-testid=registration-sent]").waitFor();
  await shot(page, "register-sent");

  await page.goto(await outboxLink(page.request, server.url, EMAIL));
  await page.fill("input[name=company_name]", COMPANY);
  await page.fill("input[name=login_password]", PASSWORD);
  assert.ok(await page.locator(".strength").isVisible(), "the strength meter shows");
  await page.fill("input[name=login_password_confirm]", PASSWORD);
  await page.fill("input[name=payment_password]", PASSWORD);
  await page.fill("input[name=payment_password_confirm]", PASSWORD);
  await page.click("button[type=submit]");
  const same = page.locator("[data-field=payment_password]");
  await same.waitFor();
  assert.equal(await same.getAttribute("data-code"), "payment_password_same_as_login");
  await page.fill("input[name=payment_password]", "Pay7654#");
  await page.fill("input[name=payment_password_confirm]", "Pay7654#");
  await page.click("button[type=submit]");
  await page.locator("[data-testid=registered]").waitFor();
});

test("the new merchant's admin binds a phone at first sign-in", async () => {
  const page = merchant;
  await signIn(page, server.url, { merchant: EMAIL, password: PASSWORD });
  await page.waitForURL("**/security/phone?first=1");
  await page.locator("[data-testid=bind-phone-first]").waitFor();
  const form = page.locator("[data-testid=phone-form]");
  await form.locator("input[name=payment_password]").fill("Pay7654#");
  await form.locator("input[name=phone]").fill("13912345678");
  await smsCode(page, server.url, "13912345678");
  await shot(page, "security-bind-phone");
  await form.locator("button[type=submit]").click();
  await page.locator("[data-testid=phone-done]").waitFor();
  assert.equal(await page.locator("[data-testid=bound-phone]").textContent(), "139****5678");
});

test("the new merchant signs in and finds verification required", async () => {
  const page = merchant;
  await page.goto(server.url + "/account/home");
  await page.locator("[data-testid=kyb-status]").waitFor();
  assert.equal(await page.locator("[data-testid=kyb-status]").textContent(), "未认证");
  assert.ok(await page.locator("[data-testid=kyb-required]").isVisible());
  assert.ok(await page.locator("[data-testid=recent-empty]").isVisible());
  assert.ok(await page.locator(".card.balance button:has-text('充值')").isDisabled());
  await shot(page, "home-unverified");
});

test("the three verification steps are filled with uploaded scans and submitted", async () => {
  const page = merchant;
  await page.click("a:has-text('完成实名认证')");
  await page.waitForURL("**/account/kyb");
  await page.locator("form[data-step=filing]").waitFor();
  await page.fill("input[name=licence_number]", "91350100M000100Y43");
  await page.check("input[name=licence_long_term]");
  await upload(page, "licence_scan", await jpeg(page, "营业执照 LICENCE"));
  await page.fill("input[name=province]", "浙江省");
  await page.fill("input[name=city]", "杭州市");
  await page.fill("input[name=district]", "西湖区");
  await page.fill("input[name=address]", "文三路 90 号");
  await page.fill("textarea[name=websites]", "www.e2e-trading.cn");
  await shot(page, "kyb-filing");
  await page.click("form[data-step=filing] button[type=submit]");

  await page.locator("form[data-step=fund-account]").waitFor();
  assert.equal(await page.inputValue("input[name=account_name]"), COMPANY);
  await page.selectOption("select[name=bank]", "中国工商银行");
  await page.fill("input[name=bank_province]", "浙江省");
  await page.fill("input[name=bank_city]", "杭州市");
  await page.fill("input[name=branch]", "中国工商银行股份有限公司杭州西湖支行");
  await page.fill("input[name=account_number]", ACCOUNT);
  await page.fill("input[name=account_number_confirm]", ACCOUNT.replace(/2$/, "3"));
  await page.click("form[data-step=fund-account] button[type=submit]");
  const mismatch = page.locator("[data-field=account_number_confirm]");
  await mismatch.waitFor();
  assert.equal(await mismatch.getAttribute("data-code"), "account_number_mismatch");
  await page.fill("input[name=account_number_confirm]", ACCOUNT);
  await page.click("form[data-step=fund-account] button[type=submit]");

  await page.locator("form[data-step=legal-representative]").waitFor();
  await page.fill("input[name=name]", "张三");
  await page.fill("input[name=id_number]", "110105194912310021");
  await page.fill("input[name=id_valid_until]", "2036-01-01");
  await upload(page, "id_front_scan", await jpeg(page, "身份证 正面"));
  await upload(page, "id_back_scan", await jpeg(page, "身份证 反面"));
  await page.click("form[data-step=legal-representative] button[type=submit]");
  const bad = page.locator("[data-field=id_number]");
  await bad.waitFor();
  assert.equal(await bad.getAttribute("data-code"), "id_number_checksum");
  await page.fill("input[name=id_number]", "11010519491231002X");
  await page.click("form[data-step=legal-representative] button[type=submit]");

  await page.locator("button[name=submit-kyb]").waitFor();
  await page.click("button[name=submit-kyb]");
  await page.locator("[data-testid=kyb-submitted]").waitFor();
  assert.match(await page.locator("[data-testid=kyb-submitted]").textContent(), /3个工作日/);
  await shot(page, "kyb-submitted");
});

test("staff review every field and scan in /ops and approve", async () => {
  const page = staff;
  await staffSignIn(page, server.url);
  const queue = page.locator("[data-testid=kyb-queue]");
  await queue.waitFor();
  await queue.locator(`tr:has-text('${EMAIL}') a`).click();
  await page.waitForURL("**/ops/kyb/*");
  await page.locator("table.detail").first().waitFor();
  const text = await page.locator(".ops-page").textContent();
  for (const expected of ["91350100M000100Y43", ACCOUNT, "11010519491231002X", "文三路 90 号", "www.e2e-trading.cn"]) {
    assert.ok(text.includes(expected), `${expected} is shown to staff`);
  }
  await page.waitForFunction(() => [...document.querySelectorAll(".scan-view img")].filter((i) => i.complete && i.naturalWidth > 0).length === 3);
  await shot(page, "ops-kyb-review");
  await page.click("button[name=approve]");
  await page.locator("[data-testid=review-status]:has-text('待确认金额')").waitFor();
});

test("the merchant types back the micro-deposit and is verified", async () => {
  const page = merchant;
  const lines = await (await page.request.get(`${server.url}/sandbox/bank/statement.json?account=${ACCOUNT}`)).json();
  assert.equal(lines.length, 2, "two amounts arrive");
  const [amount, second] = lines.map((l) => l.amount);
  assert.match(amount, /^0\.\d\d$/);
  assert.match(second, /^0\.\d\d$/);
  await page.goto(server.url + "/account/kyb");
  await page.locator("[data-testid=deposit-form]").waitFor();
  const wrong = amount === "0.99" ? "0.01" : (Number(amount) + 0.01).toFixed(2);
  await page.fill("input[name=deposit_amount]", wrong);
  await page.fill("input[name=deposit_second_amount]", second);
  await page.click("[data-testid=deposit-form] button[type=submit]");
  await page.locator("[data-field=amount][data-code=deposit_mismatch]").waitFor();
  // In the other order: either is right.
  await page.fill("input[name=deposit_amount]", second);
  await page.fill("input[name=deposit_second_amount]", amount);
  await page.click("[data-testid=deposit-form] button[type=submit]");
  await page.locator("[data-testid=kyb-verified]").waitFor();

  await page.goto(server.url + "/account/home");
  await page.locator("[data-testid=kyb-status]").waitFor();
  assert.equal(await page.locator("[data-testid=kyb-status]").textContent(), "已认证");
  assert.equal(await page.locator("[data-testid=kyb-required]").count(), 0);
  assert.ok(await page.locator(".card.balance a:has-text('充值')").isVisible());
  await shot(page, "home-verified");
});

test("five wrong passwords freeze the login; staff lift it; the operator signs in", async () => {
  const page = await (await browser.newContext()).newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(server.url + "/login");
  await page.fill("input[name=merchant]", EMAIL);
  let answer = "";
  for (let i = 1; i <= 5; i++) {
    await page.fill("input[name=password]", "Wrong123!");
    answer = await solveCaptcha(page, i === 1 ? undefined : answer);
    await page.click("button[type=submit]");
    const code = i < 5 ? "invalid_credentials" : "login_frozen";
    await page.locator(`.banner.error[data-code=${code}]`).waitFor();
  }
  assert.match(await page.locator(".banner.error").textContent(), /frozen until|冻结/);
  await page.fill("input[name=password]", PASSWORD);
  answer = await solveCaptcha(page, answer);
  await page.click("button[type=submit]");
  await page.locator(".banner.error[data-code=login_frozen]").waitFor();
  await shot(page, "login-frozen");

  await staff.goto(server.url + "/ops");
  await staff.click("button[data-tab=frozen]");
  const row = staff.locator(`[data-testid=frozen-logins] tr:has-text('${EMAIL}')`);
  await row.waitFor();
  await row.locator("button[name=unfreeze]").click();
  await staff.locator("[data-testid=no-frozen]").waitFor();

  await page.fill("input[name=password]", PASSWORD);
  await solveCaptcha(page, answer);
  await page.click("button[type=submit]");
  await page.waitForURL("**/account/home");
  await page.locator("[data-testid=signed-in]").waitFor();
  assert.match(await page.locator("[data-testid=signed-in]").textContent(), new RegExp(COMPANY));
});

test("staff set the merchant's transfer fee and the transfer form shows it before confirming", async () => {
  await staff.goto(server.url + "/ops");
  await staff.click("button[data-tab=merchants]");
  const row = staff.locator(`tr:has-text('${EMAIL}')`);
  await row.waitFor();
  await row.locator("button[name^=fees-]").click();
  const editor = staff.locator("[data-testid=fee-editor]");
  await editor.locator("input[name=transfer-fixed]").waitFor();
  await editor.locator("input[name=transfer-fixed]").fill("1.00");
  await editor.locator("input[name=transfer-rate]").fill("10"); // 0.10 %
  await editor.locator("input[name=transfer-min]").fill("5.00");
  await editor.locator("input[name=transfer-max]").fill("4.00");
  await editor.locator("button[name=transfer-save]").click();
  await editor.locator("tr[data-product=transfer] .field-error").waitFor(); // the maximum is below the minimum
  await editor.locator("input[name=transfer-min]").fill("0.00");
  await editor.locator("input[name=transfer-max]").fill("");
  await editor.locator("button[name=transfer-save]").click();
  await editor.locator("tr[data-product=transfer] .ok").waitFor();
  await shot(staff, "ops-fees");

  await merchant.goto(server.url + "/funds/transfer");
  await merchant.fill("input[name=amount-0]", "1000");
  await merchant.locator("[data-testid=fee]:has-text('2.00')").waitFor(); // 1.00 + 0.10 % of 1,000.00
});

test("no script errors happened", () => {
  assert.deepEqual(pageErrors, []);
});
