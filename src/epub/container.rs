//! The EPUB container: the OCF zip that holds the book's files.
//!
//! Last stage of the EPUB writer. The rules are the OCF spec's — `mimetype` first, stored, with
//! no extra field — and ours for reproducibility: entries in the order given, every timestamp the
//! book's modification time, no permissions or extra fields that vary with the machine, so the same
//! issue gives the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{Error, Result};

use super::metadata::Timestamp;

/// The first entry of every EPUB, stored, so a reader can identify the file by its first bytes.
const MIMETYPE: &[u8] = b"application/epub+zip";

/// How an entry is packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// As is: what is compressed already (JPEG, PNG), where deflate would only cost time; and the
    /// font subsets, whose CFF outlines are dense already: deflate at its fastest level saved
    /// 7–10% of them (seed: 222 KB to 201 KB; jialing: 540 KB to 488 KB) for 13 M instructions on
    /// the seed, over half the container's and a tenth of the whole book's; stored, a reader opens
    /// them without inflating, and a batch spends its time on what it makes.
    Store,
    /// Text (XHTML, CSS, OPF): deflated, at [`TEXT_LEVEL`] (stored when small, see [`SMALL_TEXT`]).
    Text,
}

/// zlib-rs's level 2 (its fast strategy): on jialing's 104 KB of text it makes 48.9 KB for 12.9 M
/// instructions, where level 6 made 47.1 KB for 16.5 M and level 1 (quick) 62.7 KB for 9.0 M.
const TEXT_LEVEL: i64 = 2;

/// Text entries smaller than this are stored: each deflated entry costs about 640 K instructions
/// of compressor set-up (zlib-rs zeroing its window and hash tables) whatever its size, and on the
/// seed the four entries under a kilobyte (container.xml, cover, title page, fonts.css) saved
/// 920 bytes between them for 2.6 M instructions.
const SMALL_TEXT: usize = 1024;

/// Unix permissions recorded for every entry: readable by all, like any file a reader unpacks.
const PERMISSIONS: u32 = 0o644;

/// One file of the book.
pub struct Entry {
    /// Path inside the container: `EPUB/page-01.xhtml`.
    pub path: String,
    pub bytes: Vec<u8>,
    pub packing: Packing,
}

/// Zips `entries` after the `mimetype`, all stamped `time`.
pub fn zip(entries: &[Entry], time: Timestamp) -> Result<Vec<u8>> {
    let fail = |e: zip::result::ZipError| Error::failed(format!("cannot write the EPUB container: {e}"));
    let stamp = dos_time(time);
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(stamp)
        .unix_permissions(PERMISSIONS);
    let deflated = stored.compression_method(CompressionMethod::Deflated);
    let text = deflated.compression_level(Some(TEXT_LEVEL));
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(entries.iter().map(|e| e.bytes.len()).sum())));
    zip.start_file("mimetype", stored).map_err(fail)?;
    zip.write_all(MIMETYPE).map_err(|e| fail(e.into()))?;
    for entry in entries {
        let options = match entry.packing {
            Packing::Text if entry.bytes.len() >= SMALL_TEXT => text,
            Packing::Store | Packing::Text => stored,
        };
        zip.start_file(entry.path.as_str(), options).map_err(fail)?;
        zip.write_all(&entry.bytes).map_err(|e| fail(e.into()))?;
    }
    Ok(zip.finish().map_err(fail)?.into_inner())
}

/// The zip format's MS-DOS time covers 1980–2107; a book dated outside it gets the nearest end.
fn dos_time(t: Timestamp) -> DateTime {
    let clamp = |t: Timestamp| -> Option<DateTime> {
        if t.year < 1980 {
            return None;
        }
        let year = u16::try_from(t.year.min(2107)).ok()?;
        DateTime::from_date_and_time(year, t.month as u8, t.day as u8, t.hour as u8, t.minute as u8, t.second as u8).ok()
    };
    clamp(t).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mimetype_first_and_stored_and_bytes_repeat() {
        let t = Timestamp::from_iso_date("2025-09-01").unwrap();
        let entries = vec![Entry { path: "EPUB/a.xhtml".into(), bytes: "正文".repeat(300).into_bytes(), packing: Packing::Text }];
        let a = zip(&entries, t).unwrap();
        assert_eq!(a, zip(&entries, t).unwrap());
        // Local header of the first entry: name at 30, data right after it, uncompressed.
        assert_eq!(&a[30..38], b"mimetype");
        assert_eq!(&a[38..38 + MIMETYPE.len()], MIMETYPE);
        assert_eq!(u16::from_le_bytes([a[8], a[9]]), 0, "mimetype is stored");
        assert_eq!(u16::from_le_bytes([a[28], a[29]]), 0, "mimetype has no extra field");
        let mut archive = zip::ZipArchive::new(Cursor::new(a)).unwrap();
        let f = archive.by_name("EPUB/a.xhtml").unwrap();
        assert_eq!(f.compression(), CompressionMethod::Deflated);
        assert_eq!(f.last_modified().unwrap().year(), 2025);
    }

    #[test]
    fn small_text_and_fonts_are_stored_and_read_back() {
        let t = Timestamp::from_iso_date("2025-09-01").unwrap();
        let entry = |path: &str, bytes: Vec<u8>, packing| Entry { path: path.into(), bytes, packing };
        let entries = vec![
            entry("EPUB/small.css", b"p { margin: 0 }".repeat(10), Packing::Text),
            entry("EPUB/page.xhtml", "<p>正文</p>".repeat(200).into_bytes(), Packing::Text),
            entry("EPUB/fonts/a.otf", (0..=255u8).cycle().take(5000).collect(), Packing::Store),
        ];
        let mut archive = zip::ZipArchive::new(Cursor::new(zip(&entries, t).unwrap())).unwrap();
        for (e, method) in entries.iter().zip([CompressionMethod::Stored, CompressionMethod::Deflated, CompressionMethod::Stored]) {
            let mut f = archive.by_name(&e.path).unwrap();
            assert_eq!(f.compression(), method, "{}", e.path);
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
            assert_eq!(bytes, e.bytes, "{}", e.path);
        }
    }
}
