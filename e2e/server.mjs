// Starts the built `paydesk` binary on a free port with a fresh SQLite database
// and the built SPA; resolves to { url, stop }.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

export async function startServer() {
  const bin = process.env.PAYDESK_BIN ?? join(root, "target/debug/paydesk");
  const dataDir = mkdtempSync(join(tmpdir(), "paydesk-e2e-"));
  const child = spawn(
    bin,
    ["serve", "--mode", "development", "--demo", "--listen", "127.0.0.1:0", "--web-dir", join(root, "frontend/dist"), "--data-dir", join(dataDir, "files")],
    {
      env: { ...process.env, DATABASE_URL: `sqlite://${join(dataDir, "e2e.db")}`, RUST_LOG: "warn", PAYDESK_SMS_COOLDOWN_SECS: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise((resolveUrl, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 30_000);
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const match = seen.match(/running at (http:\/\/[^\s/]+)\//);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
  });
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r() : child.on("exit", r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
