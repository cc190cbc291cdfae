//! 应用产品 and 签约信息 (manual §3.8, §3.3.1.2; the bank document's 线上服务申请 and
//! 签约资讯查询): every product with its signed state, details and operating flow;
//! an application to sign one (decided by platform staff); what is signed, since
//! when and at what rate.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use paydesk_api_types::{AppView, ApplyForApp};

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{local_time, tr, use_lang, Lang};

/// The words for a signing state, and its badge's class.
fn state_label(state: &str, lang: Lang) -> &'static str {
    match state {
        "signed" => lang.pick("已签约", "Signed"),
        "applied" => lang.pick("审核中", "Under review"),
        "rejected" => lang.pick("已驳回", "Rejected"),
        _ => lang.pick("未签约", "Not signed"),
    }
}

fn badge_class(state: &str) -> String {
    format!("badge signing-{state}")
}

fn pick(lang: Lang, zh: &str, en: &str) -> String {
    if lang == Lang::Zh {
        zh.to_owned()
    } else {
        en.to_owned()
    }
}

/// 应用产品: the products as tiles; one opens its details below.
#[component]
pub fn ProductsPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let apps = LocalResource::new(move || {
        version.get();
        ep::get_apps()
    });
    let open = RwSignal::new(None::<String>);
    let lang = use_lang();
    view! {
        <section class="page">
            <h1>{tr("应用产品", "Products")}</h1>
            <p class="hint">{tr("应用中心展示平台的全部应用，包含已签约和未签约的。签约后即可使用；点击应用查看详细信息及操作流程。",
                "The app centre shows every product, signed or not. A signed product is ready to use; open one for its details and operating flow.")}</p>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || apps.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(list) => {
                        let chosen = list.iter().find(|a| Some(&a.product) == open.get().as_ref()).cloned();
                        view! {
                            <div class="tiles" data-testid="products">
                                {list.into_iter().map(|a| {
                                    let product = a.product.clone();
                                    let state = a.state.clone();
                                    let (zh, en) = (a.name.clone(), a.name_en.clone());
                                    view! {
                                        <button type="button" class="tile" data-product=a.product.clone() data-state=a.state.clone()
                                            class:active={ let p = product.clone(); move || open.get().as_deref() == Some(p.as_str()) }
                                            on:click=move |_| open.set(Some(product.clone()))>
                                            <strong>{move || pick(lang.get(), &zh, &en)}</strong>
                                            <span class=badge_class(&a.state)>{move || state_label(&state, lang.get())}</span>
                                        </button>
                                    }
                                }).collect_view()}
                            </div>
                            {chosen.map(|a| view! { <ProductDetail app=a version=version/> })}
                        }.into_any()
                    }
                })}
            </Suspense>
            <p class="hint">{tr("调用平台接口的商户可在 API 接入页面下载网关证书（平台公钥）。", "If you call the platform's API, download the gateway certificate (the platform's public key) on the API access page.")}
                " "<A href="/apps/api">{tr("API 接入", "API access")}</A></p>
        </section>
    }
}

/// One product: what it is, how it works, what it costs, and what to do next.
#[component]
fn ProductDetail(app: AppView, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let AppView {
        product,
        name,
        name_en,
        summary,
        summary_en,
        steps,
        steps_en,
        state,
        page,
        rates,
        reason,
        applied_at,
        signed_at,
        ..
    } = app;
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let apply = {
        let product = product.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let body = ApplyForApp { note: note.get_untracked() };
            let product = product.clone();
            busy.set(true);
            error.set(None);
            spawn_local(async move {
                match ep::apply_for_app(&product, &body).await {
                    Ok(_) => version.update(|v| *v += 1),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let title = (name.clone(), name_en.clone());
    let state_now = state.clone();
    view! {
        <article class="panel product-detail" data-testid="product-detail" data-product=product.clone()>
            <h2 class="sub">{move || pick(lang.get(), &title.0, &title.1)}" "
                <span class=badge_class(&state) data-testid="signing-state">{move || state_label(&state_now, lang.get())}</span></h2>
            <p>{move || pick(lang.get(), &summary, &summary_en)}</p>
            <h3>{tr("操作流程", "How it works")}</h3>
            <ol class="flow">
                {move || {
                    let list = if lang.get() == Lang::Zh { steps.clone() } else { steps_en.clone() };
                    list.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()
                }}
            </ol>
            {(!rates.is_empty()).then(|| view! {
                <h3>{tr("服务费率", "Fee rate")}</h3>
                <table class="grid compact"><tbody>
                    {rates.into_iter().map(|r| view! { <tr><td>{r.label}</td><td class="num" data-testid="rate">{r.rate}</td></tr> }).collect_view()}
                </tbody></table>
            })}
            {match state.as_str() {
                "signed" => view! {
                    <p class="ok">{tr("已签约，签约时间 ", "Signed on ")}{signed_at.as_deref().map(local_time).unwrap_or_default()}" "
                        <A href=page attr:class="button">{tr("去使用", "Open")}</A></p>
                }.into_any(),
                "applied" => view! {
                    <p class="hint" data-testid="under-review">{tr("已提交线上服务申请，等待平台审核。申请时间 ", "Applied; the platform is reviewing it. Applied on ")}
                        {applied_at.as_deref().map(local_time).unwrap_or_default()}</p>
                }.into_any(),
                _ => view! {
                    {reason.map(|r| view! { <div class="banner error" data-testid="rejection">{tr("申请已被驳回：", "The application was rejected: ")}{r}</div> })}
                    <form class="form" data-testid="apply-form" on:submit=apply>
                        <h3>{tr("线上服务申请", "Apply to sign")}</h3>
                        <ErrorBanner error=error/>
                        <label class="field"><span class="label">{tr("申请说明", "Note")}</span>
                            <textarea name="note" maxlength="200" rows="2" bind:value=note></textarea>
                            <FieldMessage error=error field="note"/></label>
                        <button class="primary" type="submit" name="apply" disabled=move || busy.get()>{tr("申请开通", "Apply")}</button>
                    </form>
                }.into_any(),
            }}
        </article>
    }
}

/// 签约信息: the products signed, since when and at what rate.
#[component]
pub fn SigningsPage() -> impl IntoView {
    let apps = LocalResource::new(ep::get_apps);
    let lang = use_lang();
    view! {
        <section class="page">
            <h1>{tr("签约信息", "Signed products")}</h1>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || apps.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(list) => {
                        let list: Vec<AppView> = list.into_iter().filter(|a| a.state != "not_signed").collect();
                        if list.is_empty() {
                            return view! { <div class="empty" data-testid="no-signings">{tr("尚未签约任何产品，请到应用产品页面申请。", "No product signed yet: apply on the Products page.")}</div> }.into_any();
                        }
                        view! {
                            <table class="grid" data-testid="signings">
                                <thead><tr><th>{tr("产品", "Product")}</th><th>{tr("状态", "Status")}</th><th>{tr("申请时间", "Applied")}</th><th>{tr("签约时间", "Signed")}</th><th>{tr("服务费率", "Fee rate")}</th></tr></thead>
                                <tbody>{list.into_iter().map(|a| {
                                    let state = a.state.clone();
                                    let (zh, en) = (a.name.clone(), a.name_en.clone());
                                    let rates = a.rates.iter().map(|r| format!("{} {}", r.label, r.rate)).collect::<Vec<_>>().join("；");
                                    view! {
                                        <tr data-product=a.product.clone()>
                                            <td>{move || pick(lang.get(), &zh, &en)}</td>
                                            <td><span class=badge_class(&a.state)>{move || state_label(&state, lang.get())}</span>
                                                {a.reason.clone().map(|r| view! { <span class="hint">" "{r}</span> })}</td>
                                            <td>{a.applied_at.as_deref().map(local_time).unwrap_or_else(|| "—".into())}</td>
                                            <td>{a.signed_at.as_deref().map(local_time).unwrap_or_else(|| "—".into())}</td>
                                            <td>{if rates.is_empty() { "—".to_owned() } else { rates }}</td>
                                        </tr>
                                    }
                                }).collect_view()}</tbody>
                            </table>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
