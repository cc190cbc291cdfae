//! 收支明细 (§3.6.2): every change of the available balance, with the balance after.

use crate::endpoints as ep;
use crate::i18n::tr;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Saves an object URL as a file through a temporary link.
pub fn download(url: &str, name: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(link) = document.create_element("a") else { return };
    let _ = link.set_attribute("href", url);
    let _ = link.set_attribute("download", name);
    if let Some(body) = document.body() {
        let _ = body.append_child(&link);
        if let Some(el) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&link) {
            el.click();
        }
        let _ = body.remove_child(&link);
    }
}

#[component]
pub fn StatementPage() -> impl IntoView {
    let today = js_sys::Date::new_0();
    let fmt = |d: &js_sys::Date| {
        format!("{:04}-{:02}-{:02}", d.get_utc_full_year(), d.get_utc_month() + 1, d.get_utc_date())
    };
    let to = RwSignal::new(fmt(&today));
    let from_date =
        js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(today.get_time() - 7.0 * 86_400_000.0));
    let from = RwSignal::new(fmt(&from_date));
    let page = RwSignal::new(1u32);
    let preset = move |days: f64| {
        let now = js_sys::Date::new_0();
        let start = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(now.get_time() - days * 86_400_000.0));
        from.set(fmt(&start));
        to.set(fmt(&now));
        page.set(1);
    };
    let rows = LocalResource::new(move || {
        let (f, t, p) = (from.get(), to.get(), page.get());
        async move { ep::get_statement(&f, &t, p).await }
    });
    view! {
        <section class="page">
            <h1>{tr("收支明细", "Account statement")}</h1>
            <div class="filters row">
                <button type="button" on:click=move |_| preset(7.0)>{tr("最近一周", "Week")}</button>
                <button type="button" on:click=move |_| preset(30.0)>{tr("最近一个月", "Month")}</button>
                <button type="button" on:click=move |_| preset(91.0)>{tr("最近三个月", "3 months")}</button>
                <button type="button" on:click=move |_| preset(365.0)>{tr("最近一年", "Year")}</button>
                <input type="date" name="from" bind:value=from/>" – "<input type="date" name="to" bind:value=to/>
                <button type="button" name="export" on:click=move |_| {
                    let (f, t) = (from.get_untracked(), to.get_untracked());
                    spawn_local(async move {
                        if let Ok(url) = ep::statement_export_url(&f, &t).await {
                            download(&url, &format!("statement-{f}-{t}.xlsx"));
                        }
                    });
                }>{tr("导出下载", "Export")}</button>
            </div>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <div class="empty" data-testid="statement-empty">{tr("该时间段内没有收支记录", "Nothing in this period")}</div> }.into_any(),
                    Ok(p) => {
                        view! {
                            <table class="grid" data-testid="statement">
                                <thead><tr><th>{tr("时间", "Time")}</th><th>{tr("收入（元）", "Income")}</th><th>{tr("支出（元）", "Expense")}</th><th>{tr("账户余额（元）", "Balance")}</th><th>{tr("备注", "Remark")}</th></tr></thead>
                                <tbody>
                                    {p.items.into_iter().map(|l| view! {
                                        <tr>
                                            <td>{crate::i18n::local_time(&l.time)}</td>
                                            <td class="num income">{l.income.unwrap_or_default()}</td>
                                            <td class="num expense">{l.expense.unwrap_or_default()}</td>
                                            <td class="num" data-testid="balance-after">{l.balance_after}</td>
                                            <td>{l.remark}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <crate::components::Pager page=page total=p.total per_page=p.per_page/>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
