//! The compile-fail and compile-pass cases of `#[graph_resource]` live beside this file;
//! this crate only gives them a small dependency set to build against.
