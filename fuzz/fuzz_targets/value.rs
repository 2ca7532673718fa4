//! The value parser never panics, and what it reads is a finite number.
#![no_main]
use libfuzzer_sys::fuzz_target;
use taizhang::returns::{read::Cell, value};

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    if let Ok(Some(r)) = value::parse(&Cell::Text(s.to_string())) {
        assert!(r.value.is_finite());
        let _ = value::normalise(r, Some(&s), true);
    }
    let _ = value::bracket_unit(&s);
});
