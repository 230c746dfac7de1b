//! The EPUB's fixed text — stylesheet, package document, navigation, document skeleton — kept as
//! files under `templates/epub/` and compiled into the binary, so a fresh binary needs nothing on
//! disk and a change of look is an edit of a template, not of Rust.
//!
//! Templates hold `{{name}}` slots; [`fill`] puts already-escaped values into them.

pub const STYLESHEET: &str = include_str!("../../templates/epub/style.css");
pub const FONT_FACES: &str = include_str!("../../templates/epub/fonts.css");
pub const CONTAINER: &str = include_str!("../../templates/epub/container.xml");
pub const PACKAGE: &str = include_str!("../../templates/epub/package.opf");
pub const DOCUMENT: &str = include_str!("../../templates/epub/document.xhtml");
pub const NAV: &str = include_str!("../../templates/epub/nav.xhtml");
pub const NCX: &str = include_str!("../../templates/epub/toc.ncx");

/// Replaces every `{{name}}` in `template` by its value from `values`.
///
/// The templates are part of the binary, so a slot without a value is a bug in papertool, caught
/// by the tests that build every document; it panics rather than write a broken book.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").unwrap_or_else(|| panic!("unclosed slot in template near {:?}", &rest[start..]));
        let name = &after[..end];
        let value = values
            .iter()
            .find(|(k, _)| *k == name)
            .unwrap_or_else(|| panic!("template slot {{{{{name}}}}} has no value"))
            .1;
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_every_slot() {
        assert_eq!(fill("a{{x}}b{{y}}c{{x}}", &[("x", "1"), ("y", "<2>")]), "a1b<2>c1");
    }

    #[test]
    #[should_panic(expected = "has no value")]
    fn missing_value_is_a_bug() {
        fill("{{nope}}", &[]);
    }
}
