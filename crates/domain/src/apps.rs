//! 应用中心 and 应用产品 (manual §3.8, §3.3.1.2; the bank document's 线上服务申请 and
//! 签约资讯查询): the platform's products, which a merchant signs before it can use
//! them. Signing is an application (线上服务申请) that platform staff decide:
//! approve with the product's fee rate, or reject with a reason.
//!
//! ```text
//! not signed ─apply─▶ applied ─approve─▶ signed
//!      ▲                 └──reject──▶ rejected ─apply─▶ applied
//! ```

use crate::batch::BatchKind;
use crate::fees;
use crate::states::named_enum;
use crate::trades::TradeMode;

named_enum!(
    /// A product of the 应用中心.
    App, "product" {
        /// 即时到账收单: gateway trades paid straight to the merchant.
        AcquiringInstant => "acquiring_instant",
        /// 担保收单: gateway trades held until the buyer confirms receipt.
        AcquiringGuaranteed => "acquiring_guaranteed",
        /// 二维码收款: printable codes a buyer scans and pays.
        QrCollection => "qr_collection",
        /// 代发工资: salaries paid from a spreadsheet.
        Payroll => "payroll",
        /// 批量付款: batch transfers and batch bank payouts.
        BatchPayments => "batch_payments",
        /// API 接入: API clients that sign their requests.
        ApiAccess => "api_access",
    }
);

named_enum!(
    /// Where a merchant's signing of one product stands.
    SigningState, "signing state" {
        /// 未签约.
        NotSigned => "not_signed",
        /// 审核中: applied for, waiting for staff.
        Applied => "applied",
        /// 已签约: usable.
        Signed => "signed",
        /// 已驳回: refused with a reason; the merchant may apply again.
        Rejected => "rejected",
    }
);

/// What happens to a signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningEvent {
    Apply,
    Approve,
    Reject,
}

impl SigningEvent {
    fn past(self) -> &'static str {
        match self {
            SigningEvent::Apply => "applied for",
            SigningEvent::Approve => "approved",
            SigningEvent::Reject => "rejected",
        }
    }
}

/// A signing can't take that step in its state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a product that is {state} can't be {}", event.past())]
pub struct SigningNotNow {
    pub state: &'static str,
    pub event: SigningEvent,
}

impl SigningState {
    pub fn label_zh(self) -> &'static str {
        match self {
            SigningState::NotSigned => "未签约",
            SigningState::Applied => "审核中",
            SigningState::Signed => "已签约",
            SigningState::Rejected => "已驳回",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            SigningState::NotSigned => "Not signed",
            SigningState::Applied => "Under review",
            SigningState::Signed => "Signed",
            SigningState::Rejected => "Rejected",
        }
    }

    /// The state after `event`, if the state allows it.
    pub fn next(self, event: SigningEvent) -> Result<SigningState, SigningNotNow> {
        use SigningEvent as E;
        use SigningState as S;
        match (self, event) {
            (S::NotSigned | S::Rejected, E::Apply) => Ok(S::Applied),
            (S::Applied, E::Approve) => Ok(S::Signed),
            (S::Applied, E::Reject) => Ok(S::Rejected),
            _ => Err(SigningNotNow { state: self.as_str(), event }),
        }
    }
}

/// The text the 应用中心 shows for a product: what it is and its operating flow.
pub struct AppInfo {
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub summary_zh: &'static str,
    pub summary_en: &'static str,
    /// 操作流程, one step a line.
    pub steps_zh: &'static [&'static str],
    pub steps_en: &'static [&'static str],
    /// Where in the portal the product is used, once signed.
    pub page: &'static str,
}

impl App {
    /// The fee products a signing's rate applies to (none for API access: its
    /// requests pay the fee of what they do).
    pub fn fee_products(self) -> &'static [fees::Product] {
        match self {
            App::AcquiringInstant => &[fees::Product::AcquiringInstant],
            App::AcquiringGuaranteed => &[fees::Product::AcquiringGuaranteed],
            App::QrCollection => &[fees::Product::QrCollection],
            App::Payroll => &[fees::Product::Payroll],
            App::BatchPayments => &[fees::Product::BatchTransfer, fees::Product::BatchBankPayout],
            App::ApiAccess => &[],
        }
    }

    /// The product a trade of `mode` needs signed.
    pub fn for_trade(mode: TradeMode) -> App {
        match mode {
            TradeMode::Instant => App::AcquiringInstant,
            TradeMode::Guaranteed => App::AcquiringGuaranteed,
        }
    }

    /// The product a batch file of `kind` needs signed (none to import contacts).
    pub fn for_batch(kind: BatchKind) -> Option<App> {
        match kind {
            BatchKind::PlatformTransfer | BatchKind::BankTransfer => Some(App::BatchPayments),
            BatchKind::Payroll => Some(App::Payroll),
            // Refunding one's own trades needs no product beyond the one that made them.
            BatchKind::BankContacts | BatchKind::Refund => None,
        }
    }

    pub fn info(self) -> AppInfo {
        match self {
            App::AcquiringInstant => AppInfo {
                name_zh: "即时到账收单",
                name_en: "Instant acquiring",
                summary_zh: "买家在收银台付款后，款项即时进入贵商户的待结算账户，次日（T+1）扣除服务费后结算到可用余额。",
                summary_en: "A buyer pays at the cashier and the money reaches your pending settlement at once; it settles to your available balance the next day (T+1), net of the fee.",
                steps_zh: &["签约并登记 API 客户端公钥", "调用接口创建交易，获得收银台地址", "买家在收银台选择银行付款", "平台向实时反馈地址发送已签名通知", "T+1 结算到可用余额"],
                steps_en: &["Sign, then register an API client's public key", "Create a trade through the API and get its cashier address", "The buyer pays at the cashier through a bank", "The platform sends a signed notification to your notify address", "T+1 settlement to your available balance"],
                page: "/apps/api",
            },
            App::AcquiringGuaranteed => AppInfo {
                name_zh: "担保收单",
                name_en: "Guaranteed acquiring",
                summary_zh: "买家付款后款项由平台担保，贵商户发货、买家确认收货（或超时自动确认）后交易成功，再 T+1 结算。",
                summary_en: "The platform holds the buyer's payment until you ship and the buyer confirms receipt (or the confirmation period runs out); then it settles T+1.",
                steps_zh: &["签约并登记 API 客户端公钥", "调用接口创建担保交易", "买家在收银台付款（支付成功）", "发货后调用发货接口", "买家确认收货或超时自动确认（交易成功）", "T+1 结算到可用余额"],
                steps_en: &["Sign, then register an API client's public key", "Create a guaranteed trade through the API", "The buyer pays at the cashier (paid)", "Mark it shipped through the API", "The buyer confirms receipt, or it is confirmed automatically (completed)", "T+1 settlement to your available balance"],
                page: "/apps/api",
            },
            App::QrCollection => AppInfo {
                name_zh: "二维码收款",
                name_en: "QR collection",
                summary_zh: "生成固定金额或买家输入金额的收款二维码，打印张贴；每笔付款实时提醒，T+1 结算。",
                summary_en: "Make fixed-amount or open-amount QR codes to print and display; each payment is announced as it happens and settles T+1.",
                steps_zh: &["签约二维码收款", "在二维码收款页面生成收款码并打印", "买家扫码、输入金额并付款", "收款提醒实时显示每笔付款", "T+1 结算到可用余额"],
                steps_en: &["Sign QR collection", "Make a code on the QR collection page and print it", "The buyer scans, types the amount and pays", "Collection alerts show each payment as it happens", "T+1 settlement to your available balance"],
                page: "/apps/collect",
            },
            App::Payroll => AppInfo {
                name_zh: "代发工资",
                name_en: "Payroll",
                summary_zh: "上传工资表，一次向最多 999 名员工的银行卡代发工资，经复核后执行。",
                summary_en: "Upload a payroll sheet and pay up to 999 employees' bank cards at once, after review.",
                steps_zh: &["签约代发工资", "下载模板并填写工资表", "上传并确认批次", "审核员复核", "银行逐笔代发，查看代发工资记录"],
                steps_en: &["Sign payroll", "Download the template and fill in the sheet", "Upload and confirm the batch", "An auditor reviews it", "The bank pays each line; see the payroll records"],
                page: "/apps/payroll",
            },
            App::BatchPayments => AppInfo {
                name_zh: "批量付款",
                name_en: "Batch payments",
                summary_zh: "上传文件，一次最多 999 笔转账到快捷通账户或银行账户。",
                summary_en: "Upload a file of up to 999 transfers to Paydesk accounts or bank accounts at once.",
                steps_zh: &["签约批量付款", "下载模板并填写", "上传并确认批次", "审核员复核", "逐笔执行，查看批次明细"],
                steps_en: &["Sign batch payments", "Download the template and fill it in", "Upload and confirm the batch", "An auditor reviews it", "Each line is executed; see the batch's lines"],
                page: "/funds/batch",
            },
            App::ApiAccess => AppInfo {
                name_zh: "API 接入",
                name_en: "API access",
                summary_zh: "贵商户的系统以签名请求调用平台接口：创建交易、转账、付款到银行卡、提现，并接收已签名的通知。",
                summary_en: "Your systems call the platform with signed requests — trades, transfers, bank payouts, withdrawals — and receive signed notifications.",
                steps_zh: &["签约 API 接入", "创建 API 客户端并登记公钥", "下载平台公钥（网关证书）", "以私钥签名请求，用平台公钥验证应答与通知"],
                steps_en: &["Sign API access", "Create an API client and register its public key", "Download the platform's public key (gateway certificate)", "Sign requests with your private key; verify answers and notifications with the platform's key"],
                page: "/apps/api",
            },
        }
    }
}

/// Characters in a signing application's note or a rejection's reason (our policy).
pub const NOTE_CHARS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signing_moves_only_forward_or_back_to_applied() {
        use SigningEvent as E;
        use SigningState as S;
        for state in S::ALL {
            for event in [E::Apply, E::Approve, E::Reject] {
                let next = state.next(event);
                match (state, event) {
                    (S::NotSigned | S::Rejected, E::Apply) => assert_eq!(next, Ok(S::Applied)),
                    (S::Applied, E::Approve) => assert_eq!(next, Ok(S::Signed)),
                    (S::Applied, E::Reject) => assert_eq!(next, Ok(S::Rejected)),
                    _ => assert!(next.is_err(), "{state} took {event:?}"),
                }
            }
        }
        // A signed product stays signed.
        assert!(S::Signed.next(E::Apply).is_err());
    }

    #[test]
    fn every_product_has_its_text_and_the_fee_products_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for app in App::ALL {
            let info = app.info();
            assert!(!info.name_zh.is_empty() && !info.summary_en.is_empty());
            assert_eq!(info.steps_zh.len(), info.steps_en.len(), "{app}");
            assert!(info.page.starts_with('/'));
            for p in app.fee_products() {
                assert!(seen.insert(*p), "{p:?} belongs to two products");
            }
            assert_eq!(App::parse(app.as_str()), Some(*app));
        }
    }
}
