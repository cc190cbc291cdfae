// The portal frame in a real browser: the front page and health status from
// the API, the language switch, then the channel navigation rendered by wasm
// with client-side routing once signed in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launch, shot } from "./browser.mjs";
import { DEMO, signIn } from "./helpers.mjs";

const CHANNELS_ZH = ["我的账户", "资金管理", "审核管理", "交易管理", "安全中心", "应用中心", "下载中心"];
const CHANNELS_EN = ["My account", "Funds", "Review", "Transactions", "Security centre", "App centre", "Download centre"];

let server, browser, page;
const pageErrors = [];

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("pageerror", (e) => pageErrors.push(String(e)));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the wasm app renders the front page in Chinese with the service status", async () => {
  const wasm = page.waitForResponse((r) => r.url().includes(".wasm"));
  await page.goto(server.url + "/");
  const response = await wasm;
  assert.equal(response.headers()["content-type"], "application/wasm");
  await page.locator(".tiles .tile strong").first().waitFor();
  assert.deepEqual(await page.locator(".tiles .tile strong").allTextContents(), CHANNELS_ZH);
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  const health = page.locator("[data-testid=status] .health");
  await health.waitFor();
  assert.equal(await health.getAttribute("data-database"), "sqlite");
  assert.match(await health.textContent(), /服务正常 · 数据库 sqlite · v\d+\.\d+\.\d+/);
  await shot(page, "shell-zh");
});

test("the language switch turns the app to English and is remembered", async () => {
  await page.click("button[data-lang=en]");
  assert.deepEqual(await page.locator(".tiles .tile strong").allTextContents(), CHANNELS_EN);
  assert.match(await page.locator("[data-testid=status] .health").textContent(), /Service up · database sqlite/);
  await page.reload();
  await page.locator(".tiles .tile strong").first().waitFor();
  assert.deepEqual(await page.locator(".tiles .tile strong").allTextContents(), CHANNELS_EN);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await page.click("button[data-lang=zh-CN]");
  assert.equal(await page.locator(".tiles .tile strong").first().textContent(), "我的账户");
});

test("signed in, the channels route on the client and deep links load", async () => {
  await signIn(page, server.url, { merchant: DEMO.merchant, password: DEMO.password });
  await page.waitForURL("**/account/home");
  await page.locator("nav.channels a").first().waitFor();
  assert.deepEqual(await page.locator("nav.channels a").allTextContents(), CHANNELS_ZH);
  await page.click("nav.channels a:has-text('资金管理')");
  await page.waitForURL("**/funds/overview");
  assert.deepEqual(await page.locator(".subnav li").allTextContents(), ["资金总览", "充值", "转账", "批量转账", "提现"]);
  assert.equal(await page.locator(".page h1").textContent(), "资金总览");
  await page.click(".subnav a:has-text('提现')");
  await page.waitForURL("**/funds/withdraw");
  assert.equal(await page.locator(".page h1").textContent(), "提现");
  await shot(page, "shell-funds");

  await page.goto(server.url + "/trade/statement");
  await page.locator(".page h1").waitFor();
  assert.equal(await page.locator(".page h1").textContent(), "收支明细");
  assert.equal(await page.locator("nav.channels a.active").textContent(), "交易管理");

  await page.goto(server.url + "/no/such/page");
  await page.locator(".not-found h1").waitFor();
  assert.equal(await page.locator(".not-found h1").textContent(), "页面不存在");
});

test("no script errors happened", () => {
  assert.deepEqual(pageErrors, []);
});
