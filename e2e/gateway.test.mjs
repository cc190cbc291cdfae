// The integrator gateway's credentials in Chromium (issue 12), and a signed
// request made the way an integrator's program makes it (Node's crypto): the
// demo admin creates an API client under 应用中心 · API 接入, registers an
// Ed25519 public key, reads the platform's key; a request signed with the
// client's private key is answered and its answer verifies with the platform's
// key; once the key is revoked on the page, the same kind of request is refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync, sign, verify, createPublicKey, randomBytes } from "node:crypto";
import { startServer } from "./server.mjs";
import { launch, shot } from "./browser.mjs";
import { DEMO, demoAdminPage } from "./helpers.mjs";

let server, browser, page;
const pageErrors = [];
const client = generateKeyPairSync("ed25519");
let appId, platformPem;

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await demoAdminPage(browser, server.url, pageErrors);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** GET whoami signed over the five lines, as an integrator's program would. */
async function whoami() {
  const path = "/api/v1/gateway/whoami";
  const timestamp = Math.floor(Date.now() / 1000);
  const nonce = randomBytes(12).toString("hex");
  const message = Buffer.from(`GET\n${path}\n${timestamp}\n${nonce}\n\n`);
  const signature = sign(null, message, client.privateKey).toString("base64");
  const response = await fetch(server.url + path, {
    headers: { Authorization: `PAYDESK-SHA256 app_id=${appId},timestamp=${timestamp},nonce=${nonce},signature=${signature}` },
  });
  return { response, path, body: Buffer.from(await response.arrayBuffer()) };
}

test("the admin creates an API client and registers its key", async () => {
  await page.click("nav.channels a:has-text('应用中心')");
  await page.click(".subnav a:has-text('API 接入')");
  await page.waitForURL("**/apps/api");
  await page.fill("[data-testid=unlock-operators] input[name=payment_password]", "Pay123456!");
  await page.click("[data-testid=unlock-operators] button[type=submit]");
  // The demo merchant already has the example integrator's client (examples/integrator).
  await page.locator("[data-testid=api-client]:has-text('示例商城')").waitFor();
  await page.fill("input[name=client_name]", "ERP");
  await page.locator("select[name=role] option:has-text('申请')").waitFor({ state: "attached" });
  await page.selectOption("select[name=role]", { label: "申请" });
  await page.fill("[data-testid=new-api-client] input[name=payment_password]", "Pay123456!");
  await page.click("button[name=create-client]");
  const card = page.locator("[data-testid=api-client]:has-text('ERP')");
  await card.waitFor();
  appId = (await card.locator("[data-testid=app-id]").textContent()).trim();
  assert.match(appId, /^app_/);
  await card.locator("textarea[name=public_key]").fill(client.publicKey.export({ type: "spki", format: "pem" }));
  await card.locator("input[name=key_payment_password]").fill("Pay123456!");
  await card.locator("button[name=register-key]").click();
  await page.locator("[data-testid=api-client]:has-text('ERP') tr[data-key-status=live]").waitFor();
  await page.fill("input[name=platform_key_password]", "Pay123456!");
  await page.click("button[name=show-platform-key]");
  platformPem = await page.locator("[data-testid=platform-key-pem]").textContent();
  assert.match(platformPem, /BEGIN PUBLIC KEY/);
  await shot(page, "api-access");
});

test("a signed request is answered and the answer verifies with the platform's key", async () => {
  const { response, path, body } = await whoami();
  assert.equal(response.status, 200);
  const answer = JSON.parse(body.toString());
  assert.deepEqual([answer.app_id, answer.merchant, answer.client_name], [appId, DEMO.merchant, "ERP"]);
  const parts = Object.fromEntries(response.headers.get("paydesk-signature").split(",").map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
  const signed = Buffer.concat([Buffer.from(`200\n${path}\n${parts.timestamp}\n${parts.nonce}\n`), body, Buffer.from("\n")]);
  assert.ok(verify(null, signed, createPublicKey(platformPem), Buffer.from(parts.signature, "base64")));
});

test("a revoked key signs nothing", async () => {
  await page.locator("[data-testid=api-client]:has-text('ERP') input[name=key_payment_password]").fill("Pay123456!");
  await page.locator("[data-testid=api-client]:has-text('ERP') button[name^=revoke-]").click();
  await page.locator("[data-testid=api-client]:has-text('ERP') tr[data-key-status=revoked]").waitFor();
  const { response, body } = await whoami();
  assert.equal(response.status, 401);
  assert.equal(JSON.parse(body.toString()).code, "key_revoked");
});

test("no script errors happened", () => {
  assert.deepEqual(pageErrors, []);
});
