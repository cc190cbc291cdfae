//! 应用中心 (manual §3.8): the app-centre pages of their own (代发工资 lives with
//! the batch flow in `funds::batch`).

pub mod api_access;
pub mod collect;
pub mod notify;
pub mod products;
