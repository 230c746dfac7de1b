//! The front end's text patterns, compiled by `regex-lite`.
//!
//! The patterns (masthead fields, page labels, line roles, repairs) are small and run over short
//! lines, so what they cost is compiling them, at every process start: with the `regex` crate,
//! whose compiler builds UTF-8 automata for every Unicode class and several engines per pattern,
//! that was 8 ms of a 47 ms EPUB run (and 13 ms on a four-page issue). `regex-lite` matches code
//! point by code point and compiles all of them in under a millisecond.
//!
//! `regex-lite` has no Unicode classes: its `\s` is ASCII only and it has no `\p{…}`. The patterns
//! are still written with `\s`, `\S` and `\p{Han}`, and [`compile`] spells those out first as the
//! code-point ranges Unicode gives them, so they mean what they say: an ideographic space
//! (U+3000) is white space, and `\p{Han}` is every Han character, Extension B and beyond
//! included. Digits are written `[0-9]`: decoding has made full-width digits ASCII, the only
//! digits the front end reads as numbers.

use regex_lite::Regex;

/// Unicode's White_Space property (the set `char::is_whitespace` tests), as class ranges. The
/// ranges are the characters themselves, not `\x{…}` escapes: parsing the escapes was most of
/// what compiling the front end's patterns cost (1.7 M of 2.2 M instructions).
const WHITE_SPACE: &str =
    "\\t-\\r \u{85}\u{A0}\u{1680}\u{2000}-\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}";

/// Unicode's Han script (Unicode 16, the table of `regex-syntax` 0.8), as class ranges of the
/// characters themselves.
const HAN: &str = concat!(
    "\u{2E80}-\u{2E99}\u{2E9B}-\u{2EF3}\u{2F00}-\u{2FD5}\u{3005}\u{3007}\u{3021}-\u{3029}",
    "\u{3038}-\u{303B}\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}\u{F900}-\u{FA6D}\u{FA70}-\u{FAD9}",
    "\u{16FE2}-\u{16FE3}\u{16FF0}-\u{16FF1}\u{20000}-\u{2A6DF}\u{2A700}-\u{2B739}\u{2B740}-\u{2B81D}",
    "\u{2B820}-\u{2CEA1}\u{2CEB0}-\u{2EBE0}\u{2EBF0}-\u{2EE5D}\u{2F800}-\u{2FA1D}\u{30000}-\u{3134A}",
    "\u{31350}-\u{323AF}",
);

/// Compiles `pattern`, written in the `regex` crate's syntax with `\s`, `\S` and `\p{Han}` meant
/// as Unicode defines them.
///
/// # Panics
/// On a pattern that does not compile, or that uses another `\p{…}` class: the patterns are
/// constants of the front end, so that is a bug its tests catch.
pub fn compile(pattern: &str) -> Regex {
    let spelled = spell_out_classes(pattern);
    Regex::new(&spelled)
        .unwrap_or_else(|e| panic!("front-end pattern {pattern:?} does not compile: {e}"))
}

/// `pattern` with `\s`, `\S` and `\p{Han}` replaced by their ranges, as a class of their own
/// outside brackets and as ranges inside them.
fn spell_out_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut in_class = false;
    let mut chars = pattern.chars();
    let class = |out: &mut String, ranges: &str, in_class: bool, negated: bool| {
        if in_class {
            assert!(
                !negated,
                "a negated class inside brackets cannot be spelled out: {pattern:?}"
            );
            out.push_str(ranges);
        } else {
            out.push_str(if negated { "[^" } else { "[" });
            out.push_str(ranges);
            out.push(']');
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('s') => class(&mut out, WHITE_SPACE, in_class, false),
                Some('S') => class(&mut out, WHITE_SPACE, in_class, true),
                Some('p') => {
                    let name: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                    assert_eq!(name, "Han", "only \\p{{Han}} is spelled out: {pattern:?}");
                    class(&mut out, HAN, in_class, false);
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` or `^]` first in a class is a literal, not its end.
                let rest = chars.as_str();
                for lead in ["^]", "]", "^"] {
                    if let Some(after) = rest.strip_prefix(lead) {
                        out.push_str(lead);
                        chars = after.chars();
                        break;
                    }
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_unicode_white_space_inside_and_outside_brackets() {
        let alone = compile(r"^\s$");
        let bracketed = compile(r"^[\s|]$");
        let not = compile(r"^\S$");
        let negated = compile(r"^[^\s|]$");
        for c in (0..=0x3_0000).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(alone.is_match(&s), c.is_whitespace(), "{c:?}");
            assert_eq!(
                bracketed.is_match(&s),
                c.is_whitespace() || c == '|',
                "{c:?}"
            );
            assert_eq!(not.is_match(&s), !c.is_whitespace(), "{c:?}");
            assert_eq!(
                negated.is_match(&s),
                !c.is_whitespace() && c != '|',
                "{c:?}"
            );
        }
    }

    #[test]
    fn han_is_every_han_character_and_nothing_else() {
        let han = compile(r"^\p{Han}+$");
        let in_class = compile(r"^[\p{Han}A-Z]+$");
        for s in ["中文", "嘉陵", "〇", "々", "㐀", "𠀀", "𪜀", "鿿", "⺀"] {
            assert!(han.is_match(s), "{s}");
            assert!(in_class.is_match(s), "{s}");
        }
        for s in [
            "，", "。", "（", "A", "a", "1", "ア", "한", " ", "·", "\u{3000}",
        ] {
            assert!(!han.is_match(s), "{s}");
        }
        assert!(in_class.is_match("CN中") && !in_class.is_match("cn"));
    }

    #[test]
    fn other_escapes_and_literal_brackets_pass_through() {
        let image = compile(r#"^!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?\s*\)$"#);
        let caps = image
            .captures("![江边 新景](images/a.jpg)")
            .expect("an image line");
        assert_eq!((&caps[1], &caps[2]), ("江边 新景", "images/a.jpg"));
        let leading = compile(r"^[]x]+$");
        assert!(leading.is_match("]x]") && !leading.is_match("y"));
        assert!(compile(r"^\.{3}\d$").is_match("...7"));
    }

    #[test]
    #[should_panic(expected = "only \\p{Han}")]
    fn another_unicode_class_is_a_bug() {
        compile(r"\p{Greek}");
    }
}
