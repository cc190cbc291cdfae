//! The portal frame (manual §3.2): header, channel navigation, sub-channel
//! navigation, the page, and a status line fed by `/api/v1/health`.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::{use_location, use_params_map};
use leptos_router::path;

use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api::{self, Realm};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang, Lang};
use crate::nav::{channel, Gate, CHANNELS};
use crate::pages::account::kyb::KybPage;
use crate::pages::entry::login::{LoginPage, StaffLoginPage};
use crate::pages::entry::recover::{CompleteRecoveryPage, RecoverPage};
use crate::pages::entry::register::{CompleteRegistrationPage, RegisterPage};
use crate::pages::funds::bank_transfer::BankTransferPage;
use crate::pages::funds::recharge::RechargeResultPage;
use crate::pages::ops::console::OpsPage;
use crate::pages::ops::kyb_review::KybReviewPage;
use crate::pages::review::detail::ReviewDetailPage;
use crate::pages::security::email::EmailLinkPage;
use crate::session::{
    provide_sessions, use_session, use_staff, RequireOperator, RequireStaff, RequireVerified,
};

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(Lang::saved());
    lang.get_untracked().save();
    provide_context(lang);
    provide_sessions();
    view! {
        <Router>
            <div class="portal">
                <Header/>
                <ChannelNav/>
                <div class="body">
                    <SubNav/>
                    <main class="content">
                        <Routes fallback=NotFound>
                            <Route path=path!("/") view=Landing/>
                            <Route path=path!("/login") view=LoginPage/>
                            <Route path=path!("/register") view=RegisterPage/>
                            <Route path=path!("/register/complete") view=CompleteRegistrationPage/>
                            <Route path=path!("/recover") view=RecoverPage/>
                            <Route path=path!("/email-link") view=EmailLinkPage/>
                            <Route path=path!("/recover/complete") view=CompleteRecoveryPage/>
                            <Route path=path!("/account/kyb") view=|| view! { <RequireOperator><KybPage/></RequireOperator> }/>
                            <Route path=path!("/funds/recharge/result") view=|| view! { <RequireOperator><RechargeResultPage/></RequireOperator> }/>
                            <Route path=path!("/funds/transfer/bank") view=|| view! { <RequireOperator><RequireVerified><BankTransferPage/></RequireVerified></RequireOperator> }/>
                            <Route path=path!("/review/item/:id") view=|| view! { <RequireOperator><ReviewDetailPage/></RequireOperator> }/>
                            <Route path=path!("/trade/records/:no") view=|| view! { <RequireOperator><crate::pages::trade::detail::TradeDetailPage/></RequireOperator> }/>
                            <Route path=path!("/trade/batch-refund") view=|| view! { <RequireOperator><RequireVerified><crate::pages::trade::batch_refund::BatchRefundPage/></RequireVerified></RequireOperator> }/>
                            <Route path=path!("/trade/refund/:no") view=|| view! { <RequireOperator><RequireVerified><crate::pages::trade::refund::RefundPage/></RequireVerified></RequireOperator> }/>
                            <Route path=path!("/ops/login") view=StaffLoginPage/>
                            <Route path=path!("/ops") view=|| view! { <RequireStaff><OpsPage/></RequireStaff> }/>
                            <Route path=path!("/ops/kyb/:id") view=|| view! { <RequireStaff><KybReviewPage/></RequireStaff> }/>
                            <Route path=path!("/:channel") view=|| view! { <RequireOperator><SectionPage/></RequireOperator> }/>
                            <Route path=path!("/:channel/:page") view=|| view! { <RequireOperator><SectionPage/></RequireOperator> }/>
                        </Routes>
                    </main>
                </div>
                <StatusBar/>
            </div>
        </Router>
    }
}

/// Whether the current page belongs to the operator portal (channels shown).
fn in_portal() -> Memo<bool> {
    let location = use_location();
    let session = use_session();
    Memo::new(move |_| {
        let path = location.pathname.get();
        session.me.get().is_some()
            && !path.starts_with("/ops")
            && channel(path.trim_start_matches('/').split('/').next().unwrap_or("")).is_some()
    })
}

#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let staff = use_staff();
    let location = use_location();
    let navigate = use_navigate();
    let choose = move |l: Lang| {
        lang.set(l);
        l.save();
    };
    let nav_out = navigate.clone();
    let sign_out = move |_| {
        let navigate = nav_out.clone();
        spawn_local(async move {
            let _ = ep::sign_out().await;
            api::set_token(Realm::Operator, None);
            session.me.set(None);
            navigate("/login", Default::default());
        });
    };
    let staff_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = ep::staff_sign_out().await;
            api::set_token(Realm::Staff, None);
            staff.me.set(None);
            navigate("/ops/login", Default::default());
        });
    };
    let in_ops = move || location.pathname.get().starts_with("/ops");
    view! {
        <header class="header">
            <A href="/" attr:class="brand">
                <span class="logo" aria-hidden="true">"P"</span>
                <span class="name">"Paydesk"</span>
                <span class="edition">{move || if in_ops() { lang.get().pick("运营控制台", "Staff console") } else { lang.get().pick("商户专业版", "Merchant edition") }}</span>
            </A>
            <div class="who">
                {move || if in_ops() {
                    staff.me.get().map(|m| view! {
                        <span class="user" data-testid="staff-user">{m.login_name}</span>
                        <button type="button" class="link" name="staff-sign-out" on:click=staff_out.clone()>{tr("退出", "Sign out")}</button>
                    }.into_any())
                } else {
                    session.me.get().map(|m| view! {
                        <span class="user" data-testid="signed-in">{m.company_name}" · "{m.display_name}</span>
                        <button type="button" class="link" name="sign-out" on:click=sign_out.clone()>{tr("退出", "Sign out")}</button>
                    }.into_any())
                }}
            </div>
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
    let session = use_session();
    let location = use_location();
    let hidden = move || session.me.get().is_none() || location.pathname.get().starts_with("/ops");
    let held = move || session.me.get().map(|m| m.permissions).unwrap_or_default();
    let changed = crate::session::use_reviews_changed();
    // The number of applications waiting for this reviewer, fetched again on every page change.
    let pending = LocalResource::new(move || {
        let _ = (location.pathname.get(), changed.get());
        let reviews = session.can("my_reviews");
        async move {
            if !reviews {
                return None;
            }
            ep::get_pending_count().await.ok().map(|c| c.count)
        }
    });
    view! {
        <nav class="channels" aria-label="channels" class:hidden=hidden>
            {move || {
                let held = held();
                CHANNELS
                    .iter()
                    .filter(|c| c.visible(&held))
                    .map(|c| {
                        let count = (c.slug == "review").then_some(move || {
                            pending.get().flatten().filter(|n| *n > 0).map(|n| view! {
                                <span class="count" data-testid="pending-count">{n}</span>
                            })
                        });
                        view! {
                            <A href=c.href(&held) attr:class=move || if active.get() == c.slug { "channel active" } else { "channel" }>
                                {move || c.label(lang.get())}{count}
                            </A>
                        }
                    })
                    .collect_view()
            }}
        </nav>
    }
}

#[component]
fn SubNav() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let active = current_channel();
    let location = use_location();
    let portal = in_portal();
    move || {
        if !portal.get() {
            return None;
        }
        let c = channel(&active.get())?;
        if c.pages.is_empty() {
            return None;
        }
        let path = location.pathname.get();
        let held = session.me.get().map(|m| m.permissions).unwrap_or_default();
        Some(view! {
            <aside class="subnav" aria-label="sub-channels">
                <h2>{c.label(lang.get())}</h2>
                <ul>
                    {c.pages
                        .iter()
                        .filter(|p| crate::nav::allowed(p.needs, &held))
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

/// The front page: what Paydesk is, with the way in. Signed-in operators go
/// straight to their home page.
#[component]
fn Landing() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(me) = session.me.get() {
            navigate(&crate::nav::landing(&me.permissions), Default::default());
        }
    });
    view! {
        <section class="page home">
            <h1>{tr("欢迎使用 Paydesk", "Welcome to Paydesk")}</h1>
            <p class="lead">
                {tr(
                    "收款、转账、代发、提现与多人复核，一个账户完成。",
                    "Collect, transfer, pay out and withdraw, under maker-checker review, from one account.",
                )}
            </p>
            <p class="cta">
                <A href="/login" attr:class="button primary">{tr("商户登录", "Sign in")}</A>
                " "
                <A href="/register" attr:class="button">{tr("免费注册", "Register for free")}</A>
            </p>
            <div class="tiles">
                {CHANNELS
                    .iter()
                    .map(|c| {
                        let lang = use_lang();
                        view! {
                            <A href=c.first_href() attr:class="tile">
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
        let page = match map.get("page") {
            None => None,
            Some(slug) => match c.page(&slug) {
                Some(p) => Some(p),
                None => return view! { <NotFound/> }.into_any(),
            },
        };
        if let Some(p) = page {
            if let Some(show) = p.view {
                return match p.gate {
                    Gate::Operator => show(),
                    Gate::Verified => {
                        view! { <RequireVerified>{move || show()}</RequireVerified> }.into_any()
                    }
                };
            }
        }
        let title = page.map(|p| p.label(lang.get())).unwrap_or_else(|| c.label(lang.get()));
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
