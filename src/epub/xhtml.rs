//! Writing XHTML: escaping text, and noting which characters the book sets in which weight.
//!
//! Every piece of text that reaches a document goes through [`Xhtml::text`] or
//! [`Xhtml::heading_text`], so the writer knows exactly the characters each embedded font subset
//! must hold (`subset`), and nothing is written unescaped.

use std::collections::BTreeSet;

use super::template;
use crate::xml::{self, Breaks};

/// The characters the book shows, by the weight they are set in.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CharsUsed {
    /// Every character shown, headings included (a reader that cannot use the bold face falls
    /// back to the regular one, which must then hold them too).
    pub regular: BTreeSet<char>,
    /// Characters of headings (h1–h3), the only bold text in the stylesheet.
    pub bold: BTreeSet<char>,
}

impl CharsUsed {
    pub fn merge(&mut self, other: &CharsUsed) {
        self.regular.extend(other.regular.iter().copied());
        self.bold.extend(other.bold.iter().copied());
    }
}

/// A document body being written.
#[derive(Debug, Default)]
pub struct Xhtml {
    out: String,
    pub chars: CharsUsed,
}

impl Xhtml {
    pub fn new() -> Self {
        Self::default()
    }

    /// Markup written as is: tags and attributes built from escaped values.
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// Body text, escaped, in the regular weight.
    pub fn text(&mut self, text: &str) {
        self.chars.regular.extend(text.chars().filter(|c| !c.is_control()));
        escape_into(&mut self.out, text);
    }

    /// Heading text, escaped, in the bold weight.
    pub fn heading_text(&mut self, text: &str) {
        self.chars.bold.extend(text.chars().filter(|c| !c.is_control()));
        self.text(text);
    }

    /// Text whose lines are joined by `\n` (multi-line kickers and subtitles): one `<br/>` a break.
    pub fn lines(&mut self, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.raw("<br/>");
            }
            self.text(line);
        }
    }

    pub fn heading_lines(&mut self, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.raw("<br/>");
            }
            self.heading_text(line);
        }
    }

    /// `<tag class="…">text</tag>` in one call.
    pub fn element(&mut self, tag: &str, class: &str, text: &str) {
        self.raw(&format!("<{tag} class=\"{class}\">"));
        self.lines(text);
        self.raw(&format!("</{tag}>\n"));
    }

    pub fn into_body(self) -> (String, CharsUsed) {
        (self.out, self.chars)
    }
}

/// A whole XHTML content document around `body`.
pub struct Document<'a> {
    pub lang: &'a str,
    pub title: &'a str,
    pub stylesheets: &'a [&'a str],
    pub body_class: &'a str,
    pub body: &'a str,
}

impl Document<'_> {
    pub fn render(&self) -> String {
        let links: String = self
            .stylesheets
            .iter()
            .map(|href| format!("<link rel=\"stylesheet\" type=\"text/css\" href=\"{}\"/>\n", escape(href)))
            .collect();
        template::fill(
            template::DOCUMENT,
            &[
                ("lang", self.lang),
                ("title", &escape(self.title)),
                ("stylesheets", &links),
                ("body_class", self.body_class),
                ("body", self.body),
            ],
        )
    }
}

/// Escapes text for XHTML content and attribute values; tabs and line ends become spaces.
pub fn escape(text: &str) -> String {
    xml::escape(text, Breaks::AsSpaces)
}

fn escape_into(out: &mut String, text: &str) {
    xml::escape_into(out, text, Breaks::AsSpaces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_characters_by_weight() {
        let mut x = Xhtml::new();
        x.heading_text("标题");
        x.text("正文 A");
        let (body, chars) = x.into_body();
        assert_eq!(body, "标题正文 A");
        assert_eq!(chars.bold.iter().collect::<String>(), "标题");
        assert!(chars.regular.contains(&'正') && chars.regular.contains(&'标') && chars.regular.contains(&' '));
    }
}
