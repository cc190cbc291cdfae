//! `embed_migrations!` reads the migration folders at compile time; cargo
//! rebuilds this crate when they change only if told so.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
