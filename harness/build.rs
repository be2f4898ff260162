//! Records the optimisation level this crate is built with, so timing checks can refuse to
//! judge an unoptimised build (no `cfg` exposes opt-level directly).
fn main() {
    let opt_level = std::env::var("OPT_LEVEL").unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=HARNESS_OPT_LEVEL={opt_level}");
    println!("cargo:rerun-if-changed=build.rs");
}
