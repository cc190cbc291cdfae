//! The staff console.

pub mod console;
pub mod key;
pub mod kyb_review;
pub mod signings;
