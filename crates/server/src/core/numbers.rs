//! Platform numbers (交易订单号) for new applications, payouts and recharges:
//! today's date, the kind, and 13 random digits (`domain::application::TradeNo`).

use chrono::NaiveDateTime;
use paydesk_domain::application::{NumberKind, TradeNo};
use rand::Rng;

/// A fresh number of `kind`, made at `at`.
pub fn next(kind: NumberKind, at: NaiveDateTime) -> TradeNo {
    let yymmdd = at.format("%y%m%d").to_string().parse().unwrap_or(0);
    TradeNo::compose(kind, yymmdd, rand::rng().random())
}
