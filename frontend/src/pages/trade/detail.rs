//! A gateway trade's detail (§3.6.1): 订单信息 and 退款记录, with 退款 while
//! the trade has money left to refund.

use crate::endpoints as ep;
use crate::i18n::{local_time, tr};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TradeDetailPage() -> impl IntoView {
    let params = use_params_map();
    let no = move || params.get().get("no").unwrap_or_default();
    let detail = LocalResource::new(move || {
        let no = no();
        async move { ep::get_trade_detail(&no, false).await }
    });
    view! {
        <section class="page trade-detail">
            <h1>{tr("交易记录", "Transaction records")}</h1>
            <A href="/trade/records">{tr("← 返回交易记录", "← Back to the records")}</A>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || detail.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(d) => {
                        let t = d.trade.clone();
                        let refund_href = format!("/trade/refund/{}", t.trade_no);
                        view! {
                            <h2 class="sub">{tr("订单信息", "Order")}</h2>
                            <table class="grid info" data-testid="order-info">
                                <tr><th>{tr("交易订单号", "Trade no.")}</th><td data-testid="trade-no">{t.trade_no.clone()}</td>
                                    <th>{tr("商户订单号", "Merchant order no.")}</th><td>{t.merchant_order_no.clone()}</td></tr>
                                <tr><th>{tr("创建时间", "Created")}</th><td>{local_time(&t.created_at)}</td>
                                    <th>{tr("交易类型", "Type")}</th><td>{d.trade_type_zh.clone()}</td></tr>
                                <tr><th>{tr("交易金额（元）", "Amount")}</th><td class="num">{t.amount.clone()}</td>
                                    <th>{tr("手续费（元）", "Fee")}</th><td class="num">{t.fee.clone()}</td></tr>
                                <tr><th>{tr("实际金额（元）", "Kept")}</th><td class="num" data-testid="kept">{d.kept.clone()}</td>
                                    <th>{tr("支付时间", "Paid")}</th><td>{t.paid_at.as_deref().map(local_time).unwrap_or_default()}</td></tr>
                                <tr><th>{tr("状态", "Status")}</th><td data-testid="status">{t.status_zh.clone()}</td>
                                    <th>{tr("退款笔数", "Refunds")}</th><td data-testid="refund-count">{t.refund_count}{tr("笔", "")}</td></tr>
                                <tr><th>{tr("已退金额", "Refunded")}</th><td data-testid="refunded">{t.refunded.clone()}{tr("元", " yuan")}</td>
                                    <th>{tr("商品", "Subject")}</th><td>{t.subject.clone()}</td></tr>
                            </table>
                            {t.refundable.then(|| view! { <A href=refund_href.clone() attr:class="button primary" attr:data-testid="refund-button">{tr("退款", "Refund")}</A> })}
                            <h2 class="sub">{tr("退款记录", "Refunds")}</h2>
                            {if d.refunds.is_empty() {
                                view! { <p class="empty" data-testid="no-refunds">{tr("无退款信息!", "No refunds.")}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="grid" data-testid="refunds">
                                        <thead><tr><th>{tr("退款时间", "Time")}</th><th>{tr("退款订单号", "Refund no.")}</th><th>{tr("退款金额（元）", "Amount")}</th><th>{tr("退还服务费（元）", "Fee back")}</th><th>{tr("退款状态", "Status")}</th><th>{tr("备注", "Remark")}</th></tr></thead>
                                        <tbody>
                                            {d.refunds.into_iter().map(|r| view! {
                                                <tr>
                                                    <td>{local_time(&r.created_at)}</td>
                                                    <td>{r.refund_order_no.clone().unwrap_or_else(|| r.refund_no.clone())}</td>
                                                    <td class="num">{r.amount.clone()}</td>
                                                    <td class="num">{r.fee_back.clone()}</td>
                                                    <td data-testid="refund-status">{r.status_zh.clone()}{r.failure_reason.clone().map(|f| format!("（{f}）")).unwrap_or_default()}</td>
                                                    <td>{r.remark.clone()}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
