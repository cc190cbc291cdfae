//! The staff console.

pub mod console;
pub mod kyb_review;
