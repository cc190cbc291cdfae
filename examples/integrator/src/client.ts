// A Paydesk client for an integrator: the types come from api-spec/openapi.json
// through openapi-typescript (src/schema.d.ts, generated), the calls from
// openapi-fetch, and one middleware signs every request over the exact bytes it
// sends and checks the platform's signature on every answer.
import createClient, { type Middleware } from "openapi-fetch";
import type { KeyObject } from "node:crypto";
import type { paths } from "./schema.js";
import { authorization, verifyPlatform } from "./signing.js";

export class UnsignedAnswer extends Error {}

export function signingMiddleware(appId: string, key: KeyObject, platformKey: KeyObject): Middleware {
  return {
    async onRequest({ request }) {
      const url = new URL(request.url);
      const body = new Uint8Array(await request.clone().arrayBuffer());
      request.headers.set("Authorization", authorization(appId, key, request.method, url.pathname + url.search, body));
      return request;
    },
    async onResponse({ request, response }) {
      const url = new URL(request.url);
      const body = new Uint8Array(await response.clone().arrayBuffer());
      const header = response.headers.get("paydesk-signature");
      if (!verifyPlatform(platformKey, header, String(response.status), url.pathname + url.search, body)) {
        throw new UnsignedAnswer(`the answer to ${request.method} ${url.pathname} is not signed by the platform`);
      }
      return response;
    },
  };
}

export type Paydesk = ReturnType<typeof createClient<paths>>;

export function paydesk(baseUrl: string, appId: string, key: KeyObject, platformKey: KeyObject): Paydesk {
  const client = createClient<paths>({ baseUrl });
  client.use(signingMiddleware(appId, key, platformKey));
  return client;
}
