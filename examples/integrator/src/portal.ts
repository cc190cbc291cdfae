// 公钥下载 without the browser: signs in to the merchant portal (development
// mode shows the captcha's answer) and downloads the platform's public key,
// behind the payment password — what an operator does on the API access page.
import createClient from "openapi-fetch";
import type { paths } from "./schema.js";

export async function downloadPlatformKey(baseUrl: string, who: { merchant: string; password: string; paymentPassword: string }): Promise<string> {
  const portal = createClient<paths>({ baseUrl });
  const captcha = await portal.POST("/api/v1/captchas");
  const answer = captcha.data?.dev_answer;
  if (!captcha.data || !answer) throw new Error("the captcha's answer is shown in development mode only: download the key in the portal");
  const session = await portal.POST("/api/v1/session", {
    body: { merchant: who.merchant, operator: who.merchant, password: who.password, captcha_id: captcha.data.id, captcha_answer: answer },
  });
  if (!session.data) throw new Error(`sign-in refused: ${JSON.stringify(session.error)}`);
  const key = await portal.POST("/api/v1/gateway-key", {
    body: { payment_password: who.paymentPassword },
    headers: { Authorization: `Bearer ${session.data.access_token}` },
  });
  if (!key.data) throw new Error(`key download refused: ${JSON.stringify(key.error)}`);
  return key.data.public_key;
}
