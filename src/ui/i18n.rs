//! The window's words: the catalogue ([`crate::domain::words`]) in the
//! language chosen in 设置. The window sets the language at the start of
//! each frame on its own thread; screens and widgets then ask [`t`] or
//! [`tf!`](crate::tf) for a key. Jobs on the worker never word anything:
//! they report [`Text`]s, worded here when drawn.

use crate::domain::words::{Language, Text};
use std::cell::Cell;

thread_local! {
    static LANGUAGE: Cell<Language> = const { Cell::new(Language::Chinese) };
}

/// The language the window draws in from now on (this thread).
pub fn set_language(l: Language) {
    LANGUAGE.with(|c| c.set(l));
}

/// The language the window draws in.
pub fn language() -> Language {
    LANGUAGE.with(Cell::get)
}

/// The text of `key` in the window's language.
pub fn t(key: &str) -> &'static str {
    language().t(key)
}

/// A deferred text in the window's language.
pub fn words(text: &Text) -> String {
    text.words(language())
}

/// `tf!("key", n = 3, unit = name)`: the text of `key` in the window's
/// language with its arguments filled.
#[macro_export]
macro_rules! tf {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::domain::words::fill(
            $crate::ui::i18n::t($key),
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),*],
        )
    };
}
