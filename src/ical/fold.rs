//! Case folding for text comparison (RFC 4790 collations), shared by the query evaluator and the
//! text index written at PUT: both must fold with the very same function, or an index prefilter
//! could drop a card the evaluator would match.

/// Most rounds of RFC 5051's titlecase + NFKD mapping before giving up on a fixed point. Every
/// string known reaches it in two; the bound only guarantees termination on hostile input.
const MAX_CASEMAP_ROUNDS: usize = 4;

/// RFC 5051 §2 canonical key of `s` for `i;unicode-casemap`: each character replaced by its
/// simple titlecase mapping (UnicodeData.txt, no full mappings: `ß` stays `ß`), then NFKD, and
/// again until nothing changes (NFKD can produce characters that have a titlecase mapping,
/// as `ﬁ` → `fi` does). Two strings are equal under the collation when their keys are.
#[must_use]
pub fn unicode_casemap_key(s: &str) -> String {
    if s.is_ascii() {
        // Titlecase of ASCII is upper case, and NFKD leaves ASCII alone.
        return s.to_ascii_uppercase();
    }
    let case = icu_casemap::CaseMapper::new();
    let nfkd = icu_normalizer::DecomposingNormalizer::new_nfkd();
    let round = |s: &str| -> String {
        let titled: String = s.chars().map(|c| case.simple_titlecase(c)).collect();
        nfkd.normalize(&titled).into_owned()
    };
    let mut key = round(s);
    for _ in 0..MAX_CASEMAP_ROUNDS {
        let next = round(&key);
        if next == key {
            break;
        }
        key = next;
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_compatibility_forms() {
        assert_eq!(unicode_casemap_key("abc"), "ABC");
        assert_eq!(unicode_casemap_key(""), "");
        assert_eq!(unicode_casemap_key("Müller"), unicode_casemap_key("MÜLLER"));
        assert_eq!(unicode_casemap_key("ﬁle"), "FILE");
        assert_ne!(unicode_casemap_key("ß"), unicode_casemap_key("SS"));
    }
}
