//! XML escaping, shared by the EPUB's documents and the PDF's XMP metadata packet.

/// What happens to tabs and line ends in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breaks {
    /// Kept: metadata (an XMP title) says what the source said.
    Keep,
    /// Turned into spaces: inside a block of XHTML they are white space to a reader anyway.
    AsSpaces,
}

/// Escapes `text` for XML content and attribute values: the five markup characters as entities,
/// and the characters XML 1.0 cannot carry at all (C0 controls, U+FFFE, U+FFFF) dropped — the
/// front end drops them from text; this guards hand-edited JSON.
pub fn escape(text: &str, breaks: Breaks) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text, breaks);
    out
}

/// [`escape`], appending to `out`.
pub fn escape_into(out: &mut String, text: &str, breaks: Breaks) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Numeric: `&apos;` is XML's, and readers that treat XHTML as HTML 4 do not know it.
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(if breaks == Breaks::Keep { c } else { ' ' }),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Characters XML 1.0 allows in a document, but for the white space handled above.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(escape("a<b>&\"c'\u{1}\u{FFFE}\u{FFFF}", Breaks::Keep), "a&lt;b&gt;&amp;&quot;c&#39;");
    }

    #[test]
    fn line_breaks_are_kept_or_made_spaces() {
        assert_eq!(escape("甲\t乙\r\n丙", Breaks::Keep), "甲\t乙\r\n丙");
        assert_eq!(escape("甲\t乙\r\n丙", Breaks::AsSpaces), "甲 乙  丙");
    }
}
