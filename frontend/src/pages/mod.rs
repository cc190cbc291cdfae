//! The app's pages.

pub mod contacts;
pub mod funds;
pub mod home;
pub mod kyb;
pub mod login;
pub mod operators;
pub mod ops;
pub mod register;
pub mod review;
pub mod security;
pub mod settings;
