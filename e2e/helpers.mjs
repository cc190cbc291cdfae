// Steps several browser tests share.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSheet } from "read-excel-file/node";

export const DEMO = { merchant: "demo@paydesk.test", password: "Demo123!", staff: "ops", staffPassword: "Ops12345!" };

/** Types the captcha answer development mode shows beside the picture. */
export async function solveCaptcha(page, previous) {
  const answer = page.locator("[data-testid=captcha-answer]");
  await answer.waitFor();
  if (previous) {
    // After a failed attempt a new picture loads: wait for its answer.
    await page.waitForFunction(
      (old) => document.querySelector("[data-testid=captcha-answer]")?.textContent !== old,
      previous,
    );
  }
  const text = (await answer.textContent()).trim();
  await page.fill("input[name=captcha]", text);
  return text;
}

export async function signIn(page, url, { merchant, operator, password }) {
  await page.goto(url + "/login");
  await page.fill("input[name=merchant]", merchant);
  if (operator) await page.fill("input[name=operator]", operator);
  await page.fill("input[name=password]", password);
  await solveCaptcha(page);
  await page.click("button[type=submit]");
}

export async function staffSignIn(page, url) {
  await page.goto(url + "/ops/login");
  await page.fill("input[name=login]", DEMO.staff);
  await page.fill("input[name=password]", DEMO.staffPassword);
  await solveCaptcha(page);
  await page.click("button[type=submit]");
  await page.waitForURL("**/ops");
}

/** A small real JPEG drawn by the browser itself. */
export async function jpeg(page, label) {
  const dataUrl = await page.evaluate((text) => {
    const canvas = document.createElement("canvas");
    canvas.width = 320;
    canvas.height = 200;
    const g = canvas.getContext("2d");
    g.fillStyle = "#f4efe2";
    g.fillRect(0, 0, 320, 200);
    g.fillStyle = "#7a1f1f";
    g.font = "28px sans-serif";
    g.fillText(text, 20, 110);
    return canvas.toDataURL("image/jpeg", 0.8);
  }, label);
  return Buffer.from(dataUrl.split(",")[1], "base64");
}

export async function upload(page, name, buffer) {
  await page.setInputFiles(`input[type=file][name="${name}"]`, { name: `${name}.jpg`, mimeType: "image/jpeg", buffer });
  await page.locator(`[data-uploaded="${name}"]`).waitFor();
}

export async function outboxLink(request, url, email) {
  const messages = await (await request.get(`${url}/api/v1/dev/outbox?recipient=${encodeURIComponent(email)}`)).json();
  assert.ok(messages.length > 0, `no e-mail to ${email}`);
  const match = messages[0].body.match(/https?:\/\/\S+token=\S+/);
  assert.ok(match, messages[0].body);
  return match[0];
}

/**
 * Asks for an SMS code on the form in `page` and types it in (the server's cool-down is 1 s in tests).
 * `field` names the code box: `sms_code`, or e.g. `old_sms_code` beside another one.
 */
export async function smsCode(page, url, phone, field = "sms_code") {
  const outbox = async () => (await page.request.get(`${url}/api/v1/dev/outbox?recipient=${phone}`)).json();
  await page.waitForTimeout(1_100);
  const before = (await outbox()).length;
  await page.click(`button[name=${field === "sms_code" ? "send-sms" : `send-${field}`}]`);
  await page.locator(`[data-testid=${field}-sent]`).waitFor();
  let sms = await outbox();
  for (let i = 0; sms.length === before && i < 20; i++) {
    await page.waitForTimeout(100);
    sms = await outbox();
  }
  await page.fill(`input[name=${field}]`, sms[0].body.match(/\d{6}/)[0]);
}

/** Picks a branch in the directory: the city (a municipality: province and city alike), then a branch by name. */
export async function pickBranch(scope, city, branchName) {
  await scope.locator(`select[name=province] option[value=${city}]`).waitFor({ state: "attached" });
  await scope.locator("select[name=province]").selectOption(city);
  await scope.locator("select[name=city]").selectOption(city);
  const option = scope.locator(`select[name=branch] option:has-text('${branchName}')`);
  await option.waitFor({ state: "attached" });
  await scope.locator("select[name=branch]").selectOption(await option.getAttribute("value"));
}

/** Recharges `amount` (e.g. "1000") through the sandbox bank's online banking; ends on the result page. */
export async function recharge(page, url, amount) {
  await page.goto(url + "/funds/recharge");
  await page.fill("input[name=amount]", amount);
  await page.fill("input[name=amount_confirm]", amount);
  await page.check("input[name=bank][value=ICBC]");
  await page.click("button[type=submit]");
  await page.waitForURL("**/sandbox/bank/pay/*");
  await page.click("button[name=pay]");
  await page.waitForURL("**/funds/recharge/result*");
  await page.locator("[data-testid=recharge-paid]").waitFor();
}

/** A virtual FIDO2 key (user verification on, presence automatic) for the page's context. */
export async function virtualKey(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "usb",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** A page of its own, reporting script errors to `errors`, signed in as the demo admin on the home page. */
export async function demoAdminPage(browser, url, errors) {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  await signIn(page, url, { merchant: DEMO.merchant, password: DEMO.password });
  await page.waitForURL("**/account/home");
  return page;
}

/** Downloads a batch template from the page and reads its first three rows. */
export async function template(page, kind) {
  const download = page.waitForEvent("download");
  await page.click(`button[name=download-template][data-kind=${kind}]`);
  const file = await download;
  assert.match(file.suggestedFilename(), /模板-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const rows = await readSheet(readFileSync(await file.path()));
  return rows.slice(0, 3).map((r) => r.map((c) => (c === null ? "" : String(c))));
}

/** A filled batch file saved as CSV (as a spreadsheet saves it) in the template's layout. */
export function batchFile(head, batchNo, rows) {
  const quote = (c) => `"${String(c).replaceAll('"', '""')}"`;
  const lines = [head[0].slice(0, 2), ["商户批次号", batchNo], head[2], ...rows];
  const path = join(mkdtempSync(join(tmpdir(), "batch-")), `${batchNo || "contacts"}.csv`);
  writeFileSync(path, lines.map((r) => r.map(quote).join(",")).join("\r\n"));
  return path;
}

