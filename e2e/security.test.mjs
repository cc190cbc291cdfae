// Manual §3.7 in Chromium: the demo admin's security centre — the overview,
// changing the login password (then signing in with it), changing the payment
// password, changing the phone by both paths (old phone, licence number), and
// binding and changing the e-mail, and recovering a forgotten login password
// from the e-mailed link.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launch, shot } from "./browser.mjs";
import { DEMO, outboxLink, signIn, smsCode, solveCaptcha, staffSignIn, virtualKey, demoAdminPage } from "./helpers.mjs";

let server, browser, page;
const pageErrors = [];
const NEW_LOGIN = "Demo-New-9";
const NEW_PAY = "Pay-New-77";
let payPw = NEW_PAY;

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await demoAdminPage(browser, server.url, pageErrors);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the security centre shows each protection and the level", async () => {
  await page.click("nav.channels a:has-text('安全中心')");
  await page.locator("[data-testid=security-overview] [data-testid=security-level]").waitFor();
  assert.equal(await page.locator("[data-testid=security-phone]").textContent(), "138****8000");
  assert.equal(await page.locator("[data-testid=security-kyb]").textContent(), "已认证");
  await shot(page, "security-overview");
});

test("the admin changes the login password and signs in with the new one", async () => {
  await page.click("[data-row=login-password] a");
  const form = page.locator("[data-testid=login-password-form]");
  await form.locator("input[name=old_password]").fill("Wrong-pass-1");
  await form.locator("input[name=new_password]").fill(NEW_LOGIN);
  await form.locator("input[name=new_password_confirm]").fill(NEW_LOGIN);
  await form.locator("button[type=submit]").click();
  await page.locator("[data-field=old_password][data-code=password_wrong]").waitFor();
  await form.locator("input[name=old_password]").fill(DEMO.password);
  await form.locator("button[type=submit]").click();
  await page.locator("[data-testid=password-changed]").waitFor();

  const other = await (await browser.newContext()).newPage();
  await signIn(other, server.url, { merchant: DEMO.merchant, password: DEMO.password });
  await other.locator("[data-code=invalid_credentials]").waitFor();
  await signIn(other, server.url, { merchant: DEMO.merchant, password: NEW_LOGIN });
  await other.waitForURL("**/account/home");
  await other.context().close();
});

test("the admin changes the payment password", async () => {
  await page.goto(server.url + "/security/overview");
  await page.click("[data-row=payment-password] a");
  const form = page.locator("[data-testid=payment-password-form]");
  await form.locator("input[name=old_payment_password]").fill("Pay123456!");
  await form.locator("input[name=new_payment_password]").fill(NEW_PAY);
  await form.locator("input[name=new_payment_password_confirm]").fill(NEW_PAY);
  await form.locator("button[type=submit]").click();
  await page.locator("[data-testid=payment-password-changed]").waitFor();
  await shot(page, "security-payment-password");
});

test("a forgotten payment password is recovered from the e-mailed link", async () => {
  await page.goto(server.url + "/security/payment-password");
  const box = page.locator("[data-testid=forgot-payment-password]");
  await box.locator("button[name=recover-payment-password]").click();
  await box.locator("input[name=licence_number]").fill("91350100M000100Y43");
  await smsCode(page, server.url, "13800138000");
  await box.locator("button[type=submit]").click();
  await page.locator("[data-testid=recover-link-sent]").waitFor();
  await page.goto(await outboxLink(page.request, server.url, DEMO.merchant));
  const form = page.locator("[data-testid=recover-complete]");
  await form.locator("input[name=new_password]").fill("Pay-Found-5");
  await form.locator("input[name=new_password_confirm]").fill("Pay-Found-5");
  await form.locator("button[type=submit]").click();
  await page.locator("[data-testid=recovered]").waitFor();
  payPw = "Pay-Found-5";
});

test("the phone is changed with the old phone, then with the licence number", async () => {
  await page.goto(server.url + "/security/phone");
  await page.click("button[name=change-with-old]");
  let form = page.locator("[data-testid=phone-form]");
  await smsCode(page, server.url, "13800138000", "old_sms_code");
  await form.locator("input[name=payment_password]").fill(payPw);
  await form.locator("input[name=phone]").fill("13911112222");
  await smsCode(page, server.url, "13911112222");
  await form.locator("button[type=submit]").click();
  await page.locator("[data-testid=phone-done]").waitFor();
  assert.equal(await page.locator("[data-testid=bound-phone]").textContent(), "139****2222");

  // The old phone is lost: the licence number given at verification instead.
  await page.click("button[name=change-with-licence]");
  form = page.locator("[data-testid=phone-form]");
  await form.locator("input[name=licence_number]").fill("91350100M000100Y43");
  await form.locator("input[name=payment_password]").fill(payPw);
  await form.locator("input[name=phone]").fill("13733334444");
  await smsCode(page, server.url, "13733334444");
  await shot(page, "security-phone-licence");
  await form.locator("button[type=submit]").click();
  await page.locator("[data-testid=phone-done]").waitFor();
  assert.equal(await page.locator("[data-testid=bound-phone]").textContent(), "137****4444");
});

test("the e-mail is unbound, bound again and changed through e-mailed links", async () => {
  await page.goto(server.url + "/security/email");
  const form = page.locator("[data-testid=email-form]");
  await form.locator("input[name=payment_password]").fill(payPw);
  await form.locator("button[name=unbind-email]").click();
  await page.locator("[data-testid=email-unbound]").waitFor();
  await page.locator("[data-testid=bound-email]:has-text('未绑定')").waitFor();

  await form.locator("input[name=payment_password]").fill(payPw);
  await form.locator("input[name=email]").fill("boss@example.cn");
  await form.locator("button[name=bind-email]").click();
  await page.locator("[data-testid=email-link-sent]").waitFor();
  await page.goto(await outboxLink(page.request, server.url, "boss@example.cn"));
  await page.click("[data-testid=email-activate] button[name=activate]");
  await page.locator("[data-testid=email-link-done][data-result=bound]").waitFor();

  // Changing it: a link to the current address first, then one to the new address.
  await page.goto(server.url + "/security/email");
  await form.locator("input[name=payment_password]").fill(payPw);
  await form.locator("button[name=change-email]").click();
  await page.locator("[data-testid=email-link-sent]").waitFor();
  await page.goto(await outboxLink(page.request, server.url, "boss@example.cn"));
  await page.fill("[data-testid=email-new] input[name=new_email]", "ceo@example.cn");
  await page.click("[data-testid=email-new] button[type=submit]");
  await page.locator("[data-testid=email-link-done][data-result=activation_sent]").waitFor();
  await page.goto(await outboxLink(page.request, server.url, "ceo@example.cn"));
  await page.click("[data-testid=email-activate] button[name=activate]");
  await page.locator("[data-testid=email-link-done][data-result=bound]").waitFor();
  await page.goto(server.url + "/security/overview");
  await page.locator("[data-testid=security-email]:has-text('c*o@example.cn')").waitFor();
  await shot(page, "security-email-changed");
});

test("a forgotten login password is recovered from the e-mailed link", async () => {
  const other = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  other.on("pageerror", (e) => pageErrors.push(String(e)));
  await other.goto(server.url + "/login");
  await other.click("a:has-text('忘记登录密码')");
  await other.waitForURL("**/recover");
  await other.fill("[data-testid=recover-start] input[name=merchant]", DEMO.merchant);
  await solveCaptcha(other);
  await other.click("[data-testid=recover-start] button[type=submit]");
  const verify = other.locator("[data-testid=recover-verify]");
  await verify.locator("input[name=licence_number]").fill("91350100M000100Y43");
  await smsCode(other, server.url, "13733334444");
  await shot(other, "security-recover-verify");
  await verify.locator("button[type=submit]").click();
  await other.locator("[data-testid=recover-link-sent]").waitFor();

  // The link goes to the bound e-mail, not the merchant account.
  const link = await outboxLink(other.request, server.url, "ceo@example.cn");
  assert.match(link, /\/recover\/complete\?token=/);
  await other.goto(link);
  const form = other.locator("[data-testid=recover-complete]");
  await form.locator("input[name=new_password]").fill("Recovered-8");
  await form.locator("input[name=new_password_confirm]").fill("Recovered-8");
  await form.locator("button[type=submit]").click();
  await other.locator("[data-testid=recovered]").waitFor();
  await shot(other, "security-recovered");

  // Every session of the admin ended, this page's too; the new password signs in.
  await page.goto(server.url + "/security/overview");
  await page.waitForURL("**/login");
  await signIn(other, server.url, { merchant: DEMO.merchant, password: "Recovered-8" });
  await other.waitForURL("**/account/home");
  await other.context().close();
});

test("a staff member binds a security key; the console sign-in then takes it", async () => {
  // WebAuthn needs a secure context: localhost is one, 127.0.0.1 is not for every browser.
  const keyUrl = server.url.replace("127.0.0.1", "localhost");
  const staff = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  staff.on("pageerror", (e) => pageErrors.push(String(e)));
  const { cdp, authenticatorId } = await virtualKey(staff);
  await staffSignIn(staff, keyUrl);
  await staff.click("button[data-tab=key]");
  await staff.locator("[data-testid=staff-key-status][data-bound=false]").waitFor();
  const form = staff.locator("[data-testid=staff-key-form]");
  await form.locator("input[name=password]").fill("Wrong-pass-1");
  await form.locator("button[name=bind-key]").click();
  await staff.locator("[data-field=password][data-code=password_wrong]").waitFor();
  await form.locator("input[name=password]").fill(DEMO.staffPassword);
  await form.locator("button[name=bind-key]").click();
  await staff.locator("[data-testid=staff-key-status][data-bound=true]").waitFor();
  await staff.locator("[data-testid=staff-key-details]").waitFor();
  await shot(staff, "ops-security-key");

  const uses = async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials[0].signCount;
  const bound = await uses();

  // Signed out, the password alone opens a key check, and the key signs in.
  await staff.click("button[name=staff-sign-out]");
  await staff.waitForURL("**/ops/login");
  await staffSignIn(staff, keyUrl);
  assert.ok((await uses()) > bound, "the sign-in used the key");
  await staff.click("button[data-tab=key]");
  await staff.locator("[data-testid=staff-key-status][data-bound=true]").waitFor();
  await staff.context().close();
});

test("no script errors happened", () => {
  assert.deepEqual(pageErrors, []);
});
