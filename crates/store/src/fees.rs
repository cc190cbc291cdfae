//! The per-merchant fee schedule (服务费). A product without a row costs 0.00, the
//! manual's default; staff set a rule per merchant and product.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use paydesk_domain::fees::{FeeRule, Product};
use paydesk_domain::money::Money;

use paydesk_domain::application::ApplicationKind;
use paydesk_domain::ledger::{AccountId, AccountKind};
use paydesk_domain::permissions::ReviewMode;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::identity::Merchant;
use crate::schema::{accounts, fee_rules, merchants, review_policies};

fn money(fen: i64) -> Result<Money, StoreError> {
    Money::from_fen(fen).ok_or_else(|| StoreError::Corrupt(format!("fee amount out of range: {fen}")))
}

/// The rule the merchant pays for `product` (free when none was set).
pub fn rule(conn: &mut DbConn, merchant_id: i64, product: Product) -> Result<FeeRule, StoreError> {
    let row: Option<RuleRow> = fee_rules::table
        .find((merchant_id, product.as_str()))
        .select((fee_rules::fixed_fen, fee_rules::rate_bp, fee_rules::min_fen, fee_rules::max_fen))
        .first(conn)
        .optional()?;
    row.map_or(Ok(FeeRule::FREE), parse)
}

type RuleRow = (i64, i32, i64, Option<i64>);

fn parse((fixed, rate_bp, min, max): RuleRow) -> Result<FeeRule, StoreError> {
    Ok(FeeRule {
        fixed: money(fixed)?,
        rate_bp: u32::try_from(rate_bp).unwrap_or(0),
        min: money(min)?,
        max: max.map(money).transpose()?,
    })
}

/// Every product with its rule, in the order of [`Product::ALL`].
/// One query; a product without a rule is free.
pub fn schedule(conn: &mut DbConn, merchant_id: i64) -> Result<Vec<(Product, FeeRule)>, StoreError> {
    let rows: Vec<(String, RuleRow)> = fee_rules::table
        .filter(fee_rules::merchant_id.eq(merchant_id))
        .select((
            fee_rules::product,
            (fee_rules::fixed_fen, fee_rules::rate_bp, fee_rules::min_fen, fee_rules::max_fen),
        ))
        .load(conn)?;
    schedule_of(rows)
}

fn schedule_of(rows: Vec<(String, RuleRow)>) -> Result<Vec<(Product, FeeRule)>, StoreError> {
    let mut rules = std::collections::HashMap::with_capacity(rows.len());
    for (product, row) in rows {
        rules.insert(product, parse(row)?);
    }
    Ok(Product::ALL.iter().map(|p| (*p, rules.get(p.as_str()).cloned().unwrap_or(FeeRule::FREE))).collect())
}

/// What a merchant's application of `kind` is submitted under: the merchant,
/// its review mode for the kind, its fee schedule and the accounts a fund
/// operation's money is held between — one query.
#[derive(Debug, Clone)]
pub struct Terms {
    pub merchant: Merchant,
    pub mode: ReviewMode,
    pub schedule: Vec<(Product, FeeRule)>,
    /// Its 可用余额 and 冻结金额 accounts (`None` if either is missing).
    pub held_between: Option<[AccountId; 2]>,
}

pub fn terms(conn: &mut DbConn, merchant_id: i64, kind: ApplicationKind) -> Result<Terms, StoreError> {
    type Row = (Merchant, Option<String>, Option<(String, RuleRow)>, Option<(AccountId, String)>);
    let (available, frozen) = (AccountKind::MerchantAvailable.as_str(), AccountKind::MerchantFrozen.as_str());
    let rows: Vec<Row> =
        merchants::table
            .left_join(review_policies::table.on(
                review_policies::merchant_id.eq(merchants::id).and(review_policies::kind.eq(kind.as_str())),
            ))
            .left_join(fee_rules::table.on(fee_rules::merchant_id.eq(merchants::id)))
            .left_join(
                accounts::table.on(accounts::merchant_id
                    .eq(merchants::id.nullable())
                    .and(accounts::kind.eq(available).or(accounts::kind.eq(frozen)))),
            )
            .filter(merchants::id.eq(merchant_id))
            .select((
                merchants::all_columns,
                review_policies::mode.nullable(),
                (
                    fee_rules::product,
                    (fee_rules::fixed_fen, fee_rules::rate_bp, fee_rules::min_fen, fee_rules::max_fen),
                )
                    .nullable(),
                (accounts::id, accounts::kind).nullable(),
            ))
            .load(conn)?;
    let Some((merchant, mode, _, _)) = rows.first().cloned() else { return Err(StoreError::NotFound) };
    let account = |kind: &str| {
        rows.iter().find_map(|(_, _, _, a)| a.as_ref().filter(|(_, k)| k == kind).map(|(id, _)| *id))
    };
    let held_between = account(available).zip(account(frozen)).map(|(a, f)| [a, f]);
    Ok(Terms {
        merchant,
        mode: crate::roles::mode_of(mode.as_deref(), kind),
        held_between,
        schedule: schedule_of(rows.into_iter().filter_map(|(_, _, rule, _)| rule).collect())?,
    })
}

/// Sets (or replaces) the merchant's rule for `product`.
pub fn set(
    conn: &mut DbConn,
    merchant_id: i64,
    product: Product,
    rule: &FeeRule,
    staff_id: i64,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::delete(fee_rules::table.find((merchant_id, product.as_str()))).execute(conn)?;
    diesel::insert_into(fee_rules::table)
        .values((
            fee_rules::merchant_id.eq(merchant_id),
            fee_rules::product.eq(product.as_str()),
            fee_rules::fixed_fen.eq(rule.fixed.fen()),
            fee_rules::rate_bp.eq(i32::try_from(rule.rate_bp).unwrap_or(i32::MAX)),
            fee_rules::min_fen.eq(rule.min.fen()),
            fee_rules::max_fen.eq(rule.max.map(Money::fen)),
            fee_rules::updated_by.eq(staff_id),
            fee_rules::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}
