//! The portal's channels and sub-channels, as in the manual's §3.2 table.

use crate::i18n::Lang;

pub struct Page {
    pub slug: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

pub struct Channel {
    pub slug: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub pages: &'static [Page],
}

impl Channel {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }

    /// Where the channel's tab leads: its first sub-channel, or itself.
    pub fn href(&self) -> String {
        match self.pages.first() {
            Some(p) => format!("/{}/{}", self.slug, p.slug),
            None => format!("/{}", self.slug),
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

const fn page(slug: &'static str, zh: &'static str, en: &'static str) -> Page {
    Page { slug, zh, en }
}

pub static CHANNELS: [Channel; 7] = [
    Channel {
        slug: "account",
        zh: "我的账户",
        en: "My account",
        pages: &[
            page("home", "首页", "Home"),
            page("settings", "账户设置", "Account settings"),
            page("contacts", "联系人", "Contacts"),
            page("operators", "操作员", "Operators"),
        ],
    },
    Channel {
        slug: "funds",
        zh: "资金管理",
        en: "Funds",
        pages: &[
            page("overview", "资金总览", "Funds overview"),
            page("recharge", "充值", "Recharge"),
            page("transfer", "转账", "Transfer"),
            page("withdraw", "提现", "Withdrawal"),
        ],
    },
    Channel {
        slug: "review",
        zh: "审核管理",
        en: "Review",
        pages: &[
            page("pending", "我的待审核", "My pending reviews"),
            page("transfers", "转账审核", "Transfer review"),
            page("refunds", "退款审核", "Refund review"),
            page("withdrawals", "提现审核", "Withdrawal review"),
            page("applications", "应用审核", "Application review"),
        ],
    },
    Channel {
        slug: "trade",
        zh: "交易管理",
        en: "Transactions",
        pages: &[
            page("records", "交易记录", "Transaction records"),
            page("statement", "收支明细", "Account statement"),
            page("applications", "申请记录", "Application records"),
            page("settlement", "结算对账单", "Settlement statements"),
            page("receipts", "电子回单", "E-receipts"),
        ],
    },
    Channel { slug: "security", zh: "安全中心", en: "Security centre", pages: &[] },
    Channel { slug: "apps", zh: "应用中心", en: "App centre", pages: &[] },
    Channel {
        slug: "downloads",
        zh: "下载中心",
        en: "Download centre",
        pages: &[page("receipts", "电子回单下载", "E-receipt downloads")],
    },
];

pub fn channel(slug: &str) -> Option<&'static Channel> {
    CHANNELS.iter().find(|c| c.slug == slug)
}
