//! Compile-fail cases of `#[jwt_required]`, `#[fresh_jwt_required]`, `#[jwt_refresh_token_required]`
//! and `#[jwt_optional]`: one misuse per file in `ui/`, each with the exact compiler output pinned
//! in its `.stderr`.

#[test]
fn attribute_misuse_is_a_clear_compile_error() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
