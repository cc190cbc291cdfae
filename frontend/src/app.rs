//! The portal frame (manual §3.2): header, channel navigation, sub-channel
//! navigation, the page, and a status line fed by `/api/v1/health`.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::{use_location, use_params_map};
use leptos_router::path;

use crate::api;
use crate::i18n::{tr, use_lang, Lang};
use crate::nav::{channel, CHANNELS};

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(Lang::saved());
    lang.get_untracked().save();
    provide_context(lang);
    view! {
        <Router>
            <div class="portal">
                <Header/>
                <ChannelNav/>
                <div class="body">
                    <SubNav/>
                    <main class="content">
                        <Routes fallback=NotFound>
                            <Route path=path!("/") view=HomePage/>
                            <Route path=path!("/:channel") view=SectionPage/>
                            <Route path=path!("/:channel/:page") view=SectionPage/>
                        </Routes>
                    </main>
                </div>
                <StatusBar/>
            </div>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let choose = move |l: Lang| {
        lang.set(l);
        l.save();
    };
    view! {
        <header class="header">
            <A href="/" attr:class="brand">
                <span class="logo" aria-hidden="true">"P"</span>
                <span class="name">"Paydesk"</span>
                <span class="edition">{tr("商户专业版", "Merchant edition")}</span>
            </A>
            <div class="lang-switch" role="group" aria-label="Language / 语言">
                <button
                    type="button"
                    data-lang="zh-CN"
                    class:active=move || lang.get() == Lang::Zh
                    aria-pressed=move || (lang.get() == Lang::Zh).to_string()
                    on:click=move |_| choose(Lang::Zh)
                >
                    "中文"
                </button>
                <button
                    type="button"
                    data-lang="en"
                    class:active=move || lang.get() == Lang::En
                    aria-pressed=move || (lang.get() == Lang::En).to_string()
                    on:click=move |_| choose(Lang::En)
                >
                    "English"
                </button>
            </div>
        </header>
    }
}

/// The slug of the channel the current URL is in.
fn current_channel() -> Memo<String> {
    let location = use_location();
    Memo::new(move |_| {
        location.pathname.get().trim_start_matches('/').split('/').next().unwrap_or("").to_owned()
    })
}

#[component]
fn ChannelNav() -> impl IntoView {
    let lang = use_lang();
    let active = current_channel();
    view! {
        <nav class="channels" aria-label="channels">
            {CHANNELS
                .iter()
                .map(|c| {
                    view! {
                        <A href=c.href() attr:class=move || if active.get() == c.slug { "channel active" } else { "channel" }>
                            {move || c.label(lang.get())}
                        </A>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[component]
fn SubNav() -> impl IntoView {
    let lang = use_lang();
    let active = current_channel();
    let location = use_location();
    move || {
        let c = channel(&active.get())?;
        if c.pages.is_empty() {
            return None;
        }
        let path = location.pathname.get();
        Some(view! {
            <aside class="subnav" aria-label="sub-channels">
                <h2>{c.label(lang.get())}</h2>
                <ul>
                    {c.pages
                        .iter()
                        .map(|p| {
                            let href = format!("/{}/{}", c.slug, p.slug);
                            let class = if path == href { "active" } else { "" };
                            view! {
                                <li>
                                    <A href=href attr:class=class>{p.label(lang.get())}</A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </aside>
        })
    }
}

#[component]
fn HomePage() -> impl IntoView {
    view! {
        <section class="page home">
            <h1>{tr("欢迎使用 Paydesk", "Welcome to Paydesk")}</h1>
            <p class="lead">
                {tr(
                    "收款、转账、代发、提现与多人复核，一个账户完成。",
                    "Collect, transfer, pay out and withdraw, under maker-checker review, from one account.",
                )}
            </p>
            <div class="tiles">
                {CHANNELS
                    .iter()
                    .map(|c| {
                        let lang = use_lang();
                        view! {
                            <A href=c.href() attr:class="tile">
                                <strong>{move || c.label(lang.get())}</strong>
                                <span>
                                    {move || {
                                        c.pages.iter().map(|p| p.label(lang.get())).collect::<Vec<_>>().join(" · ")
                                    }}
                                </span>
                            </A>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

/// A channel's page. The features behind each one arrive with their issues; until
/// then the page says so plainly rather than showing invented data.
#[component]
fn SectionPage() -> impl IntoView {
    let params = use_params_map();
    let lang = use_lang();
    move || {
        let map = params.get();
        let c = map.get("channel").and_then(|slug| channel(&slug));
        let Some(c) = c else {
            return view! { <NotFound/> }.into_any();
        };
        let title = match map.get("page") {
            None => c.label(lang.get()),
            Some(slug) => match c.page(&slug) {
                Some(p) => p.label(lang.get()),
                None => return view! { <NotFound/> }.into_any(),
            },
        };
        view! {
            <section class="page">
                <nav class="crumbs">{c.label(lang.get())} " / " {title}</nav>
                <h1>{title}</h1>
                <div class="empty">
                    <p>{tr("该功能尚未开放。", "This feature is not available yet.")}</p>
                </div>
            </section>
        }
        .into_any()
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="page not-found">
            <h1>{tr("页面不存在", "Page not found")}</h1>
            <A href="/">{tr("返回首页", "Back to home")}</A>
        </section>
    }
}

#[component]
fn StatusBar() -> impl IntoView {
    let health = LocalResource::new(api::health);
    let lang = use_lang();
    view! {
        <footer class="status" data-testid="status">
            <Suspense fallback=move || {
                view! { <span class="checking">{tr("正在检查服务状态…", "Checking service status…")}</span> }
            }>
                {move || {
                    health
                        .get()
                        .map(|result| match result {
                            Ok(h) => {
                                let ok = h.status == "ok";
                                view! {
                                    <span class=if ok { "dot ok" } else { "dot warn" }></span>
                                    <span class="health" data-database=h.database.clone()>
                                        {move || {
                                            if ok {
                                                lang.get().pick("服务正常", "Service up")
                                            } else {
                                                lang.get().pick("数据库迁移中", "Migrating database")
                                            }
                                        }}
                                        " · "
                                        {move || lang.get().pick("数据库", "database")}
                                        " "
                                        {h.database.clone()}
                                        " · v"
                                        {h.version.clone()}
                                    </span>
                                }
                                    .into_any()
                            }
                            Err(e) => {
                                view! {
                                    <span class="dot down"></span>
                                    <span class="health down">
                                        {move || lang.get().pick("服务不可用", "Service unavailable")}
                                        " (" {e.code().to_owned()} ")"
                                    </span>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </footer>
    }
}
