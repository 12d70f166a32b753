//! One collector for every mistake found in an attribute and its handler, so that a user sees
//! them all at once. The parsers push into it; the expansion checks it once, and forgetting to
//! is a bug caught by `Drop`.

use std::cell::RefCell;

use syn::Error;

/// The mistakes found so far.
pub(crate) struct Errors {
    errors: RefCell<Option<Vec<Error>>>,
}

impl Errors {
    pub(crate) fn new() -> Self {
        Self {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Records one mistake.
    pub(crate) fn push(&self, error: Error) {
        self.errors
            .borrow_mut()
            .as_mut()
            .expect("errors pushed after the check")
            .push(error);
    }

    /// Every mistake, combined into one error, or `Ok` when there was none.
    pub(crate) fn check(self) -> syn::Result<()> {
        let errors = self.errors.borrow_mut().take().unwrap_or_default();
        let mut errors = errors.into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}

impl Drop for Errors {
    fn drop(&mut self) {
        if !std::thread::panicking() && self.errors.borrow().is_some() {
            panic!("jwt-ext-macros: the errors were never checked");
        }
    }
}
