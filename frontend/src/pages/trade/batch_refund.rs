//! 批量退款 (§4.1.2.2): the batch engine's flow for a refund file — 原商户订单号,
//! 退款商户订单号, 退款金额, 退款备注 — confirmed with 退款笔数, 退款金额, 退还服务费 and
//! each row's 退款说明, then reviewed as one application.

use crate::i18n::tr;
use crate::pages::funds::batch::BatchFlow;
use leptos::prelude::*;
use leptos_router::components::A;
use paydesk_domain::batch::BatchKind;

#[component]
pub fn BatchRefundPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>{tr("批量退款", "Batch refund")}</h1>
            <A href="/trade/records">{tr("← 返回交易记录", "← Back to the records")}</A>
            <BatchFlow kind=BatchKind::Refund/>
        </section>
    }
}
