//! Platform numbers (交易订单号) for new applications, payouts and recharges:
//! today's date, the kind, and 13 random digits (`domain::application::TradeNo`).

use paydesk_domain::application::{NumberKind, TradeNo};
use rand::Rng;

use crate::auth::now;

/// A fresh number of `kind`.
pub fn next(kind: NumberKind) -> TradeNo {
    let yymmdd = now().format("%y%m%d").to_string().parse().unwrap_or(0);
    TradeNo::compose(kind, yymmdd, rand::rng().random())
}
