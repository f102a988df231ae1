//! Compile-fail cases: every misuse of `#[graph_resource]` is an error at the right span.
//! Compile-pass cases: every supported form expands to code that builds.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("fail/*.rs");
    cases.pass("pass/*.rs");
}
