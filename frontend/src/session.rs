//! Who is signed in, for the operator portal and the staff console, restored
//! from the refresh cookie when the app loads.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use paydesk_api_types::{Me, StaffMe};

use crate::api::{self, Realm};
use crate::endpoints as ep;
use crate::i18n::tr;

/// The signed-in operator, once known.
#[derive(Clone, Copy)]
pub struct Session {
    pub me: RwSignal<Option<Me>>,
    /// True once the app has tried to restore a session.
    pub checked: RwSignal<bool>,
}

/// The signed-in staff member, once known.
#[derive(Clone, Copy)]
pub struct StaffSession {
    pub me: RwSignal<Option<StaffMe>>,
    pub checked: RwSignal<bool>,
}

/// Bumped whenever a review decides something, so lists and the navigation's
/// pending count load again.
#[derive(Clone, Copy)]
struct ReviewsChanged(RwSignal<u32>);

pub fn use_reviews_changed() -> RwSignal<u32> {
    use_context::<ReviewsChanged>().map(|r| r.0).unwrap_or_else(|| RwSignal::new(0))
}

pub fn provide_sessions() {
    provide_context(ReviewsChanged(RwSignal::new(0)));
    let session = Session { me: RwSignal::new(None), checked: RwSignal::new(false) };
    let staff = StaffSession { me: RwSignal::new(None), checked: RwSignal::new(false) };
    provide_context(session);
    provide_context(staff);
    spawn_local(async move {
        if api::refresh(Realm::Operator).await.is_ok() {
            session.me.set(ep::get_me().await.ok());
        }
        session.checked.set(true);
    });
    spawn_local(async move {
        if api::refresh(Realm::Staff).await.is_ok() {
            staff.me.set(ep::get_ops_me().await.ok());
        }
        staff.checked.set(true);
    });
}

impl Session {
    /// Whether the signed-in operator's role includes `permission` (reactive).
    pub fn can(self, permission: &str) -> bool {
        self.me.get().is_some_and(|m| m.permissions.iter().any(|p| p == permission))
    }

    /// Whether an application of `kind` this operator submits completes at once.
    pub fn completes_at_once(self, kind: &str) -> bool {
        self.me.get().is_some_and(|m| m.completes_at_once.iter().any(|k| k == kind))
    }
}

pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or(Session { me: RwSignal::new(None), checked: RwSignal::new(true) })
}

pub fn use_staff() -> StaffSession {
    use_context::<StaffSession>()
        .unwrap_or(StaffSession { me: RwSignal::new(None), checked: RwSignal::new(true) })
}

/// Reloads who is signed in (after sign-in, or after verification changes).
pub async fn reload_me(session: Session) {
    session.me.set(ep::get_me().await.ok());
    session.checked.set(true);
}

/// Shows its children to a signed-in operator; sends anyone else to sign in.
#[component]
pub fn RequireOperator(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if session.checked.get() && session.me.get().is_none() {
            navigate("/login", Default::default());
        }
    });
    // A memo, so reloading `me` (after a change in the security centre, say)
    // does not rebuild the page and lose what it shows.
    let signed_in = Memo::new(move |_| session.me.get().is_some());
    move || {
        if signed_in.get() {
            children().into_any()
        } else {
            view! { <p class="loading">{tr("正在加载…", "Loading…")}</p> }.into_any()
        }
    }
}

/// Shows its children to signed-in staff; sends anyone else to the staff sign-in.
#[component]
pub fn RequireStaff(children: ChildrenFn) -> impl IntoView {
    let staff = use_staff();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if staff.checked.get() && staff.me.get().is_none() {
            navigate("/ops/login", Default::default());
        }
    });
    let signed_in = Memo::new(move |_| staff.me.get().is_some());
    move || {
        if signed_in.get() {
            children().into_any()
        } else {
            view! { <p class="loading">{tr("正在加载…", "Loading…")}</p> }.into_any()
        }
    }
}

/// Money pages say why they are closed until verification is approved (the API
/// would answer `403 kyb_required`), with the way to finish it.
#[component]
pub fn RequireVerified(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let verified = Memo::new(move |_| session.me.get().is_some_and(|m| m.kyb_status == "verified"));
    move || {
        if verified.get() {
            children().into_any()
        } else {
            view! {
                <section class="page">
                    <div class="banner error" data-testid="kyb-required" data-code="kyb_required">
                        {tr("未完成实名认证的商户不能进行充值、转账、提现等操作。", "Recharge, transfer and withdrawal open once real-name verification is approved.")}
                        " "<leptos_router::components::A href="/account/kyb">{tr("完成实名认证", "Complete verification")}</leptos_router::components::A>
                    </div>
                </section>
            }.into_any()
        }
    }
}
