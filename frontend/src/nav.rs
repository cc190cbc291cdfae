//! The portal's channels and sub-channels, as in the manual's §3.2 table: the one
//! route table. The navigation draws its tabs from it, and the router shows each
//! page from it at `/{channel}/{page}` (a page without a view says "not
//! available yet"). Only pages outside the navigation — sign-in, registration,
//! result pages, detail pages with an id, the staff console — have routes of
//! their own in `app.rs`.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::pages::account::{contacts, home, operators, settings};
use crate::pages::funds::{batch, overview, recharge, transfer, withdraw};
use crate::pages::review::{list::ReviewListPage, Scope};
use crate::pages::{security, trade};

/// Who may open a page beyond holding its permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Any signed-in operator.
    Operator,
    /// Only once the merchant is verified (money moves).
    Verified,
}

pub struct Page {
    pub slug: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Shown to operators holding any of these permissions (all, when empty).
    pub needs: &'static [&'static str],
    /// The page itself; none while the feature isn't built.
    pub view: Option<fn() -> AnyView>,
    pub gate: Gate,
}

pub struct Channel {
    pub slug: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub pages: &'static [Page],
    /// For a channel without sub-pages: who sees it (everyone, when empty).
    pub needs: &'static [&'static str],
}

impl Channel {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }

    /// Where the channel's tab leads: its first sub-channel the operator may
    /// open, or itself.
    pub fn href(&self, held: &[String]) -> String {
        match self.pages.iter().find(|p| allowed(p.needs, held)) {
            Some(p) => format!("/{}/{}", self.slug, p.slug),
            None => format!("/{}", self.slug),
        }
    }

    /// The channel's first page, whoever asks (the landing page's tiles).
    pub fn first_href(&self) -> String {
        match self.pages.first() {
            Some(p) => format!("/{}/{}", self.slug, p.slug),
            None => format!("/{}", self.slug),
        }
    }

    /// Whether an operator holding `held` sees the channel at all.
    pub fn visible(&self, held: &[String]) -> bool {
        if self.pages.is_empty() {
            allowed(self.needs, held)
        } else {
            self.pages.iter().any(|p| allowed(p.needs, held))
        }
    }

    pub fn page(&self, slug: &str) -> Option<&'static Page> {
        self.pages.iter().find(|p| p.slug == slug)
    }
}

impl Page {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
}

/// Whether `held` includes one of `needs` (or nothing is needed).
pub fn allowed(needs: &[&str], held: &[String]) -> bool {
    needs.is_empty() || needs.iter().any(|n| held.iter().any(|h| h == n))
}

/// A page not built yet.
const fn page(
    slug: &'static str,
    zh: &'static str,
    en: &'static str,
    needs: &'static [&'static str],
) -> Page {
    Page { slug, zh, en, needs, view: None, gate: Gate::Operator }
}

/// A page and what shows it.
const fn built(
    slug: &'static str,
    zh: &'static str,
    en: &'static str,
    needs: &'static [&'static str],
    gate: Gate,
    view: fn() -> AnyView,
) -> Page {
    Page { slug, zh, en, needs, view: Some(view), gate }
}

fn review(scope: Scope) -> AnyView {
    view! { <ReviewListPage scope=scope/> }.into_any()
}

pub static CHANNELS: [Channel; 7] = [
    Channel {
        slug: "account",
        zh: "我的账户",
        en: "My account",
        pages: &[
            built("home", "首页", "Home", &["home"], Gate::Operator, || {
                view! { <home::HomePage/> }.into_any()
            }),
            built(
                "settings",
                "账户设置",
                "Account settings",
                &["account_settings", "operators"],
                Gate::Operator,
                || view! { <settings::SettingsPage/> }.into_any(),
            ),
            built("contacts", "联系人", "Contacts", &["contacts"], Gate::Operator, || {
                view! { <contacts::ContactsPage/> }.into_any()
            }),
            built("operators", "操作员", "Operators", &["operators"], Gate::Operator, || {
                view! { <operators::OperatorsPage/> }.into_any()
            }),
        ],
        needs: &[],
    },
    Channel {
        slug: "funds",
        zh: "资金管理",
        en: "Funds",
        pages: &[
            built("overview", "资金总览", "Funds overview", &["funds_overview"], Gate::Operator, || {
                view! { <overview::OverviewPage/> }.into_any()
            }),
            built("recharge", "充值", "Recharge", &["recharge"], Gate::Verified, || {
                view! { <recharge::RechargePage/> }.into_any()
            }),
            built("transfer", "转账", "Transfer", &["transfer"], Gate::Verified, || {
                view! { <transfer::TransferPage/> }.into_any()
            }),
            built("batch", "批量转账", "Batch transfer", &["transfer"], Gate::Verified, || {
                view! { <batch::BatchTransferPage/> }.into_any()
            }),
            built("withdraw", "提现", "Withdrawal", &["withdrawal"], Gate::Verified, || {
                view! { <withdraw::WithdrawPage/> }.into_any()
            }),
        ],
        needs: &[],
    },
    Channel {
        slug: "review",
        zh: "审核管理",
        en: "Review",
        pages: &[
            built(
                "pending",
                "我的待审核",
                "My pending reviews",
                &["my_reviews"],
                Gate::Operator,
                || review(Scope::Pending),
            ),
            built(
                "transfers",
                "转账审核",
                "Transfer review",
                &["review_transfer", "review_bank_payout"],
                Gate::Operator,
                || review(Scope::Transfers),
            ),
            built("refunds", "退款审核", "Refund review", &["review_refund"], Gate::Operator, || {
                review(Scope::Refunds)
            }),
            built(
                "withdrawals",
                "提现审核",
                "Withdrawal review",
                &["review_withdrawal"],
                Gate::Operator,
                || review(Scope::Withdrawals),
            ),
            built(
                "applications",
                "应用审核",
                "Application review",
                &["review_payroll"],
                Gate::Operator,
                || review(Scope::Payroll),
            ),
        ],
        needs: &[],
    },
    Channel {
        slug: "trade",
        zh: "交易管理",
        en: "Transactions",
        pages: &[
            built(
                "records",
                "交易记录",
                "Transaction records",
                &["transaction_records"],
                Gate::Operator,
                || view! { <trade::records::RecordsPage/> }.into_any(),
            ),
            built(
                "statement",
                "收支明细",
                "Account statement",
                &["account_statement"],
                Gate::Operator,
                || view! { <trade::statement::StatementPage/> }.into_any(),
            ),
            built(
                "applications",
                "申请记录",
                "Application records",
                &["transaction_records"],
                Gate::Operator,
                || review(Scope::Records),
            ),
            page("settlement", "结算对账单", "Settlement statements", &["settlement_statements"]),
            page("receipts", "电子回单", "E-receipts", &["transaction_records"]),
        ],
        needs: &[],
    },
    Channel {
        slug: "security",
        zh: "安全中心",
        en: "Security centre",
        pages: &[
            built("overview", "安全设置", "Overview", &[], Gate::Operator, || {
                view! { <security::overview::SecurityOverviewPage/> }.into_any()
            }),
            built("login-password", "登录密码", "Login password", &[], Gate::Operator, || {
                view! { <security::login_password::LoginPasswordPage/> }.into_any()
            }),
            built(
                "payment-password",
                "支付密码",
                "Payment password",
                &["account_settings"],
                Gate::Operator,
                || view! { <security::payment_password::PaymentPasswordPage/> }.into_any(),
            ),
            built("phone", "手机", "Phone", &[], Gate::Operator, || {
                view! { <security::phone::PhonePage/> }.into_any()
            }),
            built("email", "邮箱", "E-mail", &[], Gate::Operator, || {
                view! { <security::email::EmailPage/> }.into_any()
            }),
            built("key", "快捷盾", "Security key", &["security_centre"], Gate::Operator, || {
                view! { <security::key::SecurityKeyPage/> }.into_any()
            }),
            built("log", "日志查询", "Operation log", &["operation_log"], Gate::Operator, || {
                view! { <security::log::OperationLogPage/> }.into_any()
            }),
        ],
        needs: &[],
    },
    Channel {
        slug: "apps",
        zh: "应用中心",
        en: "App centre",
        pages: &[
            built("products", "应用产品", "Products", &[], Gate::Operator, || {
                view! { <crate::pages::apps::products::ProductsPage/> }.into_any()
            }),
            built("signings", "签约信息", "Signed products", &[], Gate::Operator, || {
                view! { <crate::pages::apps::products::SigningsPage/> }.into_any()
            }),
            built("payroll", "代发工资", "Payroll", &["transfer"], Gate::Verified, || {
                view! { <batch::PayrollPage/> }.into_any()
            }),
            built(
                "collect",
                "二维码收款",
                "QR collection",
                &["transaction_records"],
                Gate::Verified,
                || view! { <crate::pages::apps::collect::CollectPage/> }.into_any(),
            ),
            built("api", "API 接入", "API access", &["operators"], Gate::Operator, || {
                view! { <crate::pages::apps::api_access::ApiAccessPage/> }.into_any()
            }),
            built("notify", "实时反馈", "Notifications", &["operators"], Gate::Operator, || {
                view! { <crate::pages::apps::notify::NotifyPage/> }.into_any()
            }),
        ],
        needs: &[],
    },
    Channel {
        slug: "downloads",
        zh: "下载中心",
        en: "Download centre",
        pages: &[page("receipts", "电子回单下载", "E-receipt downloads", &["transaction_records"])],
        needs: &[],
    },
];

pub fn channel(slug: &str) -> Option<&'static Channel> {
    CHANNELS.iter().find(|c| c.slug == slug)
}

/// Where an operator lands after signing in: the home page, or the first page
/// their role opens.
pub fn landing(held: &[String]) -> String {
    if allowed(&["home"], held) {
        return "/account/home".into();
    }
    CHANNELS.iter().find(|c| c.visible(held)).map(|c| c.href(held)).unwrap_or_else(|| "/account/home".into())
}
