// What the shop's back office does with Paydesk: open a trade for an order,
// look it up, and (for the sandbox only) run the settlement clock.
import type { Paydesk } from "./client.js";
import type { components } from "./schema.js";

export type Trade = components["schemas"]["TradeView"];
export type Problem = components["schemas"]["Problem"];

export class PaydeskProblem extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(`${status} ${problem.code}: ${problem.title}`);
  }
}

function orThrow<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined) return result.data;
  throw new PaydeskProblem(result.response.status, result.error as Problem);
}

export interface Order {
  orderNo: string;
  subject: string;
  amount: string;
  notifyUrl: string;
  returnUrl?: string;
  /** 担保: the money is held until the buyer confirms receipt. */
  guaranteed?: boolean;
}

export async function openTrade(api: Paydesk, order: Order): Promise<Trade> {
  return orThrow(
    await api.POST("/api/v1/gateway/trades", {
      body: {
        merchant_order_no: order.orderNo,
        subject: order.subject,
        amount: order.amount,
        mode: order.guaranteed ? "guaranteed" : "instant",
        notify_url: order.notifyUrl,
        return_url: order.returnUrl ?? null,
      },
    }),
  );
}

export async function tradeByNo(api: Paydesk, tradeNo: string): Promise<Trade> {
  return orThrow(await api.GET("/api/v1/gateway/trades/{trade_no}", { params: { path: { trade_no: tradeNo } } }));
}

export async function tradeByOrderNo(api: Paydesk, orderNo: string): Promise<Trade> {
  return orThrow(await api.GET("/api/v1/gateway/trades", { params: { query: { merchant_order_no: orderNo } } }));
}

/** 发货: a guaranteed trade's goods have left; receipt is confirmed automatically after the merchant's period. */
export async function markShipped(api: Paydesk, tradeNo: string): Promise<Trade> {
  return orThrow(await api.POST("/api/v1/gateway/trades/{trade_no}/ship", { params: { path: { trade_no: tradeNo } } }));
}

/** The buyer confirmed receipt (in the shop): the guaranteed trade completes and settles T+1. */
export async function confirmReceipt(api: Paydesk, tradeNo: string): Promise<Trade> {
  return orThrow(await api.POST("/api/v1/gateway/trades/{trade_no}/confirm-receipt", { params: { path: { trade_no: tradeNo } } }));
}
