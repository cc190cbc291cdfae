//! 资金总览: the balances and the 30-day trend.

use crate::endpoints as ep;
use crate::i18n::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use paydesk_domain::Money;

/// A line chart of daily balances, drawn as SVG.
pub fn trend_svg(points: &[paydesk_api_types::DailyBalance]) -> String {
    let (w, h, pad) = (640.0f64, 180.0f64, 28.0f64);
    let values: Vec<f64> = points
        .iter()
        .map(|p| Money::parse(&p.balance).map(|m| m.fen() as f64 / 100.0).unwrap_or(0.0))
        .collect();
    let max = values.iter().cloned().fold(0.0f64, f64::max).max(1.0);
    let step = if values.len() > 1 { (w - 2.0 * pad) / (values.len() - 1) as f64 } else { 0.0 };
    let coords: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", pad + i as f64 * step, h - pad - v / max * (h - 2.0 * pad)))
        .collect();
    let first = points.first().map(|p| p.date.clone()).unwrap_or_default();
    let last = points.last().map(|p| p.date.clone()).unwrap_or_default();
    format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"balance trend\">\
         <line x1=\"{pad}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y0}\" stroke=\"#e3e7ef\"/>\
         <polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\" points=\"{pts}\"/>\
         <text x=\"{pad}\" y=\"{ty}\" font-size=\"11\" fill=\"#6b7385\">{first}</text>\
         <text x=\"{x1}\" y=\"{ty}\" font-size=\"11\" fill=\"#6b7385\" text-anchor=\"end\">{last}</text>\
         <text x=\"{pad}\" y=\"16\" font-size=\"11\" fill=\"#6b7385\">{max:.2}</text></svg>",
        y0 = h - pad,
        x1 = w - pad,
        ty = h - 8.0,
        pts = coords.join(" "),
    )
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let data = LocalResource::new(ep::get_funds_overview);
    view! {
        <section class="page">
            <h1>{tr("资金总览", "Funds overview")}</h1>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(o) => view! {
                        <div class="figures">
                            <div class="figure"><span>{tr("可用余额（元）", "Available")}</span><b data-testid="overview-available">{o.available.clone()}</b></div>
                            <div class="figure"><span>{tr("冻结金额（元）", "Frozen")}</span><b data-testid="overview-frozen">{o.frozen.clone()}</b></div>
                            <div class="figure"><span>{tr("待结算金额（元）", "Pending settlement")}</span><b>{o.pending_settlement.clone()}</b></div>
                        </div>
                        <div class="actions">
                            <A href="/funds/recharge" attr:class="button primary">{tr("充值", "Recharge")}</A>" "
                            <A href="/funds/transfer" attr:class="button">{tr("转账", "Transfer")}</A>" "
                            <A href="/funds/withdraw" attr:class="button">{tr("提现", "Withdraw")}</A>
                        </div>
                        <h2 class="sub">{tr("近 30 天可用余额", "Available balance, last 30 days")}</h2>
                        <div class="chart" data-testid="trend" inner_html=trend_svg(&o.trend)></div>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
