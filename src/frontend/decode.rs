//! Stage 1 of the front end: bytes in, one clean `String` out.
//!
//! Reads the issue file (or stdin), refuses what cannot be an issue's text, finds the encoding
//! (UTF-8 with or without BOM, UTF-16 with BOM, GB18030 when the bytes are not UTF-8) and
//! normalizes what OCR and PDF extractors vary on: line ends, ideographic and no-break spaces,
//! full-width ASCII letters and digits. Line breaks are kept one for one, so every later stage can
//! report the source's own 1-based line numbers.

use std::fs;
use std::io::Read;
use std::path::Path;

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::Error;

/// Largest input accepted. A year of a daily paper's text is a few MiB; anything this large is not
/// one issue, and refusing it early keeps a mistaken argument (a disk image, a video) from being
/// read into memory.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// An issue's text after decoding and normalization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding's WHATWG name in lower case: `utf-8`, `utf-16le`, `utf-16be`, `gb18030`.
    pub encoding: &'static str,
}

/// Reads the whole input: `-` is stdin. Refuses a missing file, a directory and anything over
/// [`MAX_INPUT_BYTES`] before reading it.
pub fn read_input(path: &Path) -> Result<Vec<u8>, Error> {
    let shown = display_name(path);
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::input(&shown, format!("cannot read: {e}")))?;
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(Error::input(shown, too_large_reason()));
        }
        return Ok(bytes);
    }
    let meta = fs::metadata(path).map_err(|e| Error::input(&shown, io_reason(&e)))?;
    if meta.is_dir() {
        return Err(Error::input(shown, "is a directory, not an issue's text"));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(Error::input(shown, too_large_reason()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)
        .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::input(&shown, io_reason(&e)))?;
    // A file that grew while we read it (or a device that reports length 0).
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::input(shown, too_large_reason()));
    }
    Ok(bytes)
}

/// The name used for `path` in messages: `<stdin>` for `-`.
pub fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

fn too_large_reason() -> String {
    format!("larger than {} MiB; one issue's text is far smaller", MAX_INPUT_BYTES / (1024 * 1024))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        // Reading a directory on some systems fails here rather than at `metadata`.
        _ if e.raw_os_error() == Some(21) => "is a directory, not an issue's text".to_string(),
        _ => format!("cannot read: {e}"),
    }
}

/// Decodes and normalizes `bytes`; the `Err` is the one-line reason for refusing them.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let (raw, encoding) = decode_raw(bytes)?;
    if let Some(at) = raw.find('\0') {
        // Only reachable for UTF-16 input: NUL bytes in 8-bit input are refused before decoding.
        return Err(format!("not a text file (NUL character at character offset {})", raw[..at].chars().count()));
    }
    let text = normalize(&raw);
    if text.is_empty() {
        return Err("empty file: there is no issue text in it".to_string());
    }
    if text.chars().all(|c| c.is_whitespace()) {
        return Err("holds only whitespace: there is no issue text in it".to_string());
    }
    Ok(Decoded { text, encoding })
}

/// Picks the encoding: a BOM decides; otherwise UTF-8 when the bytes are valid UTF-8, else GB18030
/// (the superset of GBK and GB2312 that Chinese files without a BOM arrive in).
/// How every PDF file begins.
const PDF_MAGIC: &[u8] = b"%PDF-";

fn decode_raw(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        return strict(encoding, body)
            .map(|s| (s, name_of(encoding)))
            .ok_or_else(|| format!("cannot decode: it starts with a {} byte-order mark but is not valid {}", name_of(encoding), name_of(encoding)));
    }
    // A PDF's header is ASCII and its binary part may well decode as GB18030: known by its
    // magic number, before any guess.
    if bytes.starts_with(PDF_MAGIC) {
        return Err("is a PDF file, not text: extract its text first (pdftotext, or an OCR / PDF-to-markdown tool)".into());
    }
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return Err(format!("not a text file (NUL byte at offset {at})"));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), name_of(UTF_8)));
    }
    match strict(GB18030, bytes) {
        Some(s) => Ok((s, name_of(GB18030))),
        None => {
            let bad = std::str::from_utf8(bytes).map(|_| 0).unwrap_or_else(|e| e.valid_up_to());
            Err(format!("cannot decode: neither UTF-8 nor GB18030 (first invalid UTF-8 byte at offset {bad}); is it a binary file?"))
        }
    }
}

/// Decodes without replacement characters: `None` when any byte sequence is malformed, so that a
/// binary file is refused rather than turned into a page of U+FFFD.
fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
}

fn name_of(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_8 {
        "utf-8"
    } else if encoding == UTF_16LE {
        "utf-16le"
    } else if encoding == UTF_16BE {
        "utf-16be"
    } else if encoding == GB18030 {
        "gb18030"
    } else {
        // `for_bom` only ever returns the three above; GB18030 is chosen by us.
        "unknown"
    }
}

/// Line ends to `\n` (CRLF and lone CR each count as one line end), U+3000 and NBSP to a plain
/// space, full-width ASCII letters and digits to ASCII. Full-width punctuation is left alone: it is
/// what Chinese text should use.
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // Runs of characters that stay as they are are copied whole; only the ones that change are
    // looked at one by one.
    let mut kept_from = 0;
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let replacement = match c {
            '\r' => {
                if chars.peek().is_some_and(|(_, n)| *n == '\n') {
                    chars.next();
                }
                Some('\n')
            }
            '\u{3000}' | '\u{00A0}' | '\u{202F}' => Some(' '),
            // Full-width digits and Latin letters: FF10–FF19, FF21–FF3A, FF41–FF5A.
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => char::from_u32(c as u32 - 0xFEE0),
            // A stray BOM inside concatenated files: invisible, not content.
            '\u{FEFF}' => None,
            _ => continue,
        };
        out.push_str(&raw[kept_from..i]);
        if let Some(r) = replacement {
            out.push(r);
        }
        kept_from = chars.peek().map_or(raw.len(), |(j, _)| *j);
    }
    out.push_str(&raw[kept_from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("本报讯".as_bytes()).unwrap();
        assert_eq!(plain, Decoded { text: "本报讯".into(), encoding: "utf-8" });
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("本报讯".as_bytes());
        assert_eq!(decode(&bom).unwrap(), plain);
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let text = "第2版\n正文";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&le).unwrap().encoding, "utf-16le");
        assert_eq!(decode(&be).unwrap().text, text);
        // Without a BOM the NUL bytes of UTF-16 make it a binary file: never guessed.
        assert!(decode(&le[2..]).unwrap_err().contains("NUL byte at offset"));
    }

    #[test]
    fn gb18030_only_when_not_utf8() {
        let (gbk, _, _) = GB18030.encode("嘉陵江畔，秋色正浓。");
        let d = decode(&gbk).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert_eq!(d.text, "嘉陵江畔，秋色正浓。");
        // Valid UTF-8 is never reinterpreted as GB18030.
        assert_eq!(decode("秋色".as_bytes()).unwrap().encoding, "utf-8");
    }

    #[test]
    fn refuses_binary_undecodable_and_empty() {
        assert_eq!(decode(b"abc\0def").unwrap_err(), "not a text file (NUL byte at offset 3)");
        assert!(decode(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj").unwrap_err().contains("is a PDF file"));
        assert!(decode(&[0x80, 0xFF, 0xFE, 0x81]).unwrap_err().starts_with("cannot decode"));
        assert!(decode(b"").unwrap_err().starts_with("empty file"));
        assert!(decode(" \n\u{3000}\r\n\t".as_bytes()).unwrap_err().starts_with("holds only whitespace"));
        // Not refused: one visible character is an issue's text, however short.
        assert!(decode("报".as_bytes()).is_ok());
    }

    #[test]
    fn normalizes_line_ends_spaces_and_fullwidth_alphanumerics() {
        assert_eq!(normalize("一\r\n二\r三\n四"), "一\n二\n三\n四");
        assert_eq!(normalize("甲\u{3000}乙\u{00A0}丙"), "甲 乙 丙");
        assert_eq!(normalize("ＡＩ赋能２０２５年ｘ"), "AI赋能2025年x");
        // Full-width punctuation stays full-width.
        assert_eq!(normalize("（总第１期），！？"), "（总第1期），！？");
    }
}
