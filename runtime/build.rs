//! Tells the runtime whether it is built for speed, which decides how generated code
//! inlines a struct's reading of its properties (see `__graph_resource_read_field!` in
//! `src/__private/mod.rs`).

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(graph_resource_for_speed)");
    // The profile's `opt-level`: `0` to `3`, or `s` and `z` for size.
    if matches!(std::env::var("OPT_LEVEL").as_deref(), Ok("2" | "3")) {
        println!("cargo::rustc-cfg=graph_resource_for_speed");
    }
}
