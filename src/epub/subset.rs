//! Per-issue font subsets: the body serif cut down to exactly the characters the book sets in it,
//! small enough to embed (a few hundred KB instead of 7 MB a face).
//!
//! Runs after the documents are written (`xhtml` has noted every character by weight). The
//! outlines and the tables that follow the glyph set (`CFF `, `hmtx`, `hhea`, `maxp`, `name`,
//! `post`, `head`) come from [`crate::fonts::subset`]; a face it does not handle (TrueType, or
//! CFF it leaves) is cut by the `subsetter` crate, which makes fonts for PDF. A reading system
//! also needs what neither writes: a `cmap` (character → glyph) for the kept characters, mapping to
//! the new glyph ids, and the original `OS/2` with its character range updated. This module adds
//! them and assembles the font file.

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::fonts::{self, subset::{tag, GlyphOrder, CFF, HEAD}};

/// A subset ready to embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subset {
    pub bytes: Vec<u8>,
    /// `font/otf` for CFF outlines, `font/ttf` for TrueType ones.
    pub media_type: &'static str,
    pub extension: &'static str,
    /// Characters of the request the face has a glyph for (the rest fall back to the reader's
    /// system fonts).
    pub covered: usize,
}

const CMAP: u32 = tag(b"cmap");
const OS2: u32 = tag(b"OS/2");

/// The sfnt version of a font with CFF outlines.
const OPENTYPE_CFF: u32 = tag(b"OTTO");

/// Where `usFirstCharIndex` sits in the `OS/2` table (`usLastCharIndex` follows it).
const OS2_FIRST_CHAR_OFFSET: usize = 64;

/// Offset of `checkSumAdjustment` in the `head` table.
const HEAD_CHECKSUM_OFFSET: usize = 8;

/// The magic number the whole-font checksum is subtracted from (OpenType spec, `head` table).
const CHECKSUM_MAGIC: u32 = 0xB1B0_AFBA;

/// A format 4 cmap subtable's length is 16 bits: 16 bytes of header and 8 a segment.
const MAX_FORMAT4_SEGMENTS: usize = (u16::MAX as usize - 16) / 8;

/// Subsets `font` (a whole OpenType face) to `chars`.
pub fn subset(font: &[u8], chars: &BTreeSet<char>, name: &str) -> Result<Subset> {
    let fail = |why: String| Error::failed(format!("{name}: cannot subset the font: {why}"));
    let face = ttf_parser::Face::parse(font, 0).map_err(|e| fail(e.to_string()))?;
    let mut order = GlyphOrder::new(); // .notdef stays glyph 0, as the format requires
    let mut mapped: Vec<(u32, u16)> = Vec::new();
    for &c in chars {
        if let Some(gid) = face.glyph_index(c) {
            mapped.push((c as u32, order.add(gid.0)));
        }
    }
    let raw = face.raw_face();
    let ours = raw.table(ttf_parser::Tag(CFF)).map(|_| fonts::subset::opentype_tables(raw, order.glyphs()));
    let (flavor, mut tables) = match ours {
        Some(Ok(tables)) => (OPENTYPE_CFF, tables),
        Some(Err(e @ fonts::cff::Error::Malformed(_))) => return Err(fail(e.to_string())),
        // TrueType faces and the CFF ones fonts::subset leaves (seac accents).
        None | Some(Err(fonts::cff::Error::Unsupported(_))) => {
            let remapper = subsetter::GlyphRemapper::new_from_glyphs(order.glyphs());
            let outlines = subsetter::subset(font, 0, &remapper).map_err(|e| fail(e.to_string()))?;
            let tables = read_tables(&outlines).ok_or_else(|| fail("the subset is malformed".into()))?;
            (u32::from_be_bytes(outlines[..4].try_into().expect("a font has a header")), tables)
        }
    };
    tables.retain(|(t, _)| *t != CMAP && *t != OS2);
    tables.push((CMAP, cmap(&mapped)));
    if let Some(os2) = raw.table(ttf_parser::Tag(OS2)) {
        tables.push((OS2, os2_for(os2, &mapped)));
    }
    let cff = tables.iter().any(|(t, _)| *t == CFF);
    Ok(Subset {
        bytes: assemble(flavor, tables),
        media_type: if cff { "font/otf" } else { "font/ttf" },
        extension: if cff { "otf" } else { "ttf" },
        covered: mapped.len(),
    })
}

/// The tables of an sfnt file, by tag, as its table directory lists them.
fn read_tables(font: &[u8]) -> Option<Vec<(u32, Vec<u8>)>> {
    let face = ttf_parser::RawFace::parse(font, 0).ok()?;
    face.table_records
        .into_iter()
        .map(|r| {
            let (offset, len) = (r.offset as usize, r.length as usize);
            Some((r.tag.0, font.get(offset..offset.checked_add(len)?)?.to_vec()))
        })
        .collect()
}

/// Writes an sfnt file: table directory sorted by tag, tables 4-byte aligned, checksums and the
/// `head` checksum adjustment computed as the OpenType spec prescribes.
fn assemble(flavor: u32, mut tables: Vec<(u32, Vec<u8>)>) -> Vec<u8> {
    tables.sort_by_key(|(t, _)| *t);
    let count = tables.len() as u16;
    let entry_selector = 15 - count.leading_zeros() as u16; // floor(log2(count))
    let search_range = (1u16 << entry_selector) * 16;
    let size = 12 + 16 * tables.len() + tables.iter().map(|(_, data)| data.len().next_multiple_of(4)).sum::<usize>();
    let mut out = Vec::with_capacity(size);
    out.extend(flavor.to_be_bytes());
    for v in [count, search_range, entry_selector, count * 16 - search_range] {
        out.extend(v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (t, data) in &mut tables {
        if *t == HEAD && data.len() >= HEAD_CHECKSUM_OFFSET + 4 {
            data[HEAD_CHECKSUM_OFFSET..HEAD_CHECKSUM_OFFSET + 4].fill(0);
            head_at = Some(offset + HEAD_CHECKSUM_OFFSET);
        }
        out.extend(t.to_be_bytes());
        out.extend(checksum(data).to_be_bytes());
        out.extend((offset as u32).to_be_bytes());
        out.extend((data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjustment = CHECKSUM_MAGIC.wrapping_sub(checksum(&out));
        out[at..at + 4].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// A `cmap` table for `mapped` (code point, new glyph id), sorted by code point: a Windows
/// Unicode BMP subtable (format 4), which every reading system reads, and a full-repertoire one
/// (format 12) when a character lies beyond the BMP.
fn cmap(mapped: &[(u32, u16)]) -> Vec<u8> {
    let runs = consecutive_runs(mapped);
    let bmp: Vec<&(u32, u32, u16)> = runs.iter().filter(|r| r.1 < 0xFFFF).collect();
    let with_format12 = runs.iter().any(|r| r.1 > 0xFFFF) || bmp.len() + 1 > MAX_FORMAT4_SEGMENTS;
    let format4 = (bmp.len() < MAX_FORMAT4_SEGMENTS).then(|| format4(&bmp));
    let format12 = with_format12.then(|| format12(&runs));
    let subtables: Vec<(u16, Vec<u8>)> = [format4.map(|t| (1u16, t)), format12.map(|t| (10u16, t))]
        .into_iter()
        .flatten()
        .collect();
    let mut out = Vec::new();
    out.extend(0u16.to_be_bytes());
    out.extend((subtables.len() as u16).to_be_bytes());
    let mut offset = 4 + 8 * subtables.len();
    for (encoding, table) in &subtables {
        out.extend(3u16.to_be_bytes()); // platform: Windows
        out.extend(encoding.to_be_bytes());
        out.extend((offset as u32).to_be_bytes());
        offset += table.len();
    }
    for (_, table) in subtables {
        out.extend(table);
    }
    out
}

/// Runs of consecutive code points whose glyph ids are consecutive too: one cmap segment each.
fn consecutive_runs(mapped: &[(u32, u16)]) -> Vec<(u32, u32, u16)> {
    let mut runs: Vec<(u32, u32, u16)> = Vec::new();
    for &(c, g) in mapped {
        match runs.last_mut() {
            Some((first, last, g0)) if c == *last + 1 && u32::from(g) == u32::from(*g0) + (c - *first) => *last = c,
            _ => runs.push((c, c, g)),
        }
    }
    runs
}

fn format4(runs: &[&(u32, u32, u16)]) -> Vec<u8> {
    let seg_count = runs.len() + 1; // and the closing 0xFFFF segment
    let entry_selector = (usize::BITS - 1 - seg_count.leading_zeros()) as u16;
    let search_range = 2 * (1u16 << entry_selector);
    let seg_x2 = (2 * seg_count) as u16;
    let mut t = Vec::new();
    for v in [4u16, (16 + 8 * seg_count) as u16, 0, seg_x2, search_range, entry_selector, seg_x2 - search_range] {
        t.extend(v.to_be_bytes());
    }
    for r in runs {
        t.extend((r.1 as u16).to_be_bytes());
    }
    t.extend(0xFFFFu16.to_be_bytes());
    t.extend(0u16.to_be_bytes()); // reservedPad
    for r in runs {
        t.extend((r.0 as u16).to_be_bytes());
    }
    t.extend(0xFFFFu16.to_be_bytes());
    for r in runs {
        t.extend(r.2.wrapping_sub(r.0 as u16).to_be_bytes());
    }
    t.extend(1u16.to_be_bytes()); // 0xFFFF + 1 = glyph 0
    for _ in 0..seg_count {
        t.extend(0u16.to_be_bytes()); // idRangeOffset: every segment uses its delta
    }
    t
}

fn format12(runs: &[(u32, u32, u16)]) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend(12u16.to_be_bytes());
    t.extend(0u16.to_be_bytes());
    t.extend((16 + 12 * runs.len() as u32).to_be_bytes());
    t.extend(0u32.to_be_bytes());
    t.extend((runs.len() as u32).to_be_bytes());
    for r in runs {
        t.extend(r.0.to_be_bytes());
        t.extend(r.1.to_be_bytes());
        t.extend(u32::from(r.2).to_be_bytes());
    }
    t
}

/// The face's own `OS/2` table with the first and last character it now maps.
fn os2_for(original: &[u8], mapped: &[(u32, u16)]) -> Vec<u8> {
    let mut os2 = original.to_vec();
    if let (Some(first), Some(last)) = (mapped.first(), mapped.last()) {
        if os2.len() >= OS2_FIRST_CHAR_OFFSET + 4 {
            let clamp = |c: u32| c.min(0xFFFF) as u16;
            os2[OS2_FIRST_CHAR_OFFSET..OS2_FIRST_CHAR_OFFSET + 2].copy_from_slice(&clamp(first.0).to_be_bytes());
            os2[OS2_FIRST_CHAR_OFFSET + 2..OS2_FIRST_CHAR_OFFSET + 4].copy_from_slice(&clamp(last.0).to_be_bytes());
        }
    }
    os2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{subset::tests::Path, Face, FontDir};

    #[test]
    fn subset_maps_exactly_the_requested_characters() {
        let dir = FontDir::locate(None).unwrap();
        let font = dir.load(Face::SerifRegular).unwrap();
        let chars: BTreeSet<char> = "报纸，第一版。A1".chars().collect();
        let s = subset(&font, &chars, "serif").unwrap();
        assert_eq!(s.media_type, "font/otf");
        let face = ttf_parser::Face::parse(&s.bytes, 0).unwrap();
        assert_eq!(face.number_of_glyphs() as usize, chars.len() + 1);
        for c in chars {
            let g = face.glyph_index(c).unwrap_or_else(|| panic!("{c} not mapped"));
            assert!(face.glyph_bounding_box(g).is_some() || c == ' ', "{c} has no outline");
        }
        assert!(face.glyph_index('新').is_none());
        assert!(s.bytes.len() < 40_000, "{} bytes for 8 glyphs", s.bytes.len());
        // The whole-font checksum comes out at the magic number.
        assert_eq!(checksum(&s.bytes), CHECKSUM_MAGIC);
    }

    #[test]
    fn cmap_runs_and_supplementary_characters() {
        let mapped = [(0x4E00, 1), (0x4E01, 2), (0x4E03, 3), (0x20000, 4)];
        assert_eq!(consecutive_runs(&mapped), vec![(0x4E00, 0x4E01, 1), (0x4E03, 0x4E03, 3), (0x20000, 0x20000, 4)]);
        let table = cmap(&mapped);
        assert_eq!(u16::from_be_bytes([table[2], table[3]]), 2, "format 4 and format 12");
    }

    /// Characters of the seed (beside the repository) and of a sample.
    fn issue_chars() -> BTreeSet<char> {
        let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/000_f05fcb516d19c53a.txt");
        let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/jialing-2025-10-15.txt");
        let mut chars: BTreeSet<char> = std::fs::read_to_string(sample).unwrap().chars().collect();
        match std::fs::read_to_string(seed) {
            Ok(text) => chars.extend(text.chars()),
            Err(e) => {
                assert!(std::env::var_os("PAPERTOOL_REQUIRE_VALIDATORS").is_none(), "the seed is required: {e}");
                eprintln!("the seed's characters skipped: {seed}: {e}");
            }
        }
        chars
    }

    #[test]
    fn every_character_keeps_its_outline_and_advance() {
        let dir = FontDir::locate(None).unwrap();
        let chars = issue_chars();
        for kind in [Face::SerifRegular, Face::SerifBold, Face::SansBold] {
            let font = dir.load(kind).unwrap();
            let original = ttf_parser::Face::parse(&font, 0).unwrap();
            let s = subset(&font, &chars, "face").unwrap();
            assert_eq!(s.bytes, subset(&font, &chars, "face").unwrap().bytes, "deterministic");
            assert_eq!(checksum(&s.bytes), CHECKSUM_MAGIC);
            let cut = ttf_parser::Face::parse(&s.bytes, 0).unwrap();
            assert_eq!(cut.units_per_em(), original.units_per_em());
            assert_eq!((cut.ascender(), cut.descender()), (original.ascender(), original.descender()));
            for &c in &chars {
                let Some(old) = original.glyph_index(c) else { continue };
                let new = cut.glyph_index(c).unwrap_or_else(|| panic!("{kind}: {c} not mapped"));
                assert_eq!(cut.glyph_hor_advance(new), original.glyph_hor_advance(old), "{kind}: advance of {c}");
                assert_eq!(cut.glyph_hor_side_bearing(new), original.glyph_hor_side_bearing(old), "{kind}: bearing of {c}");
                let (mut want, mut got) = (Path::default(), Path::default());
                assert_eq!(cut.outline_glyph(new, &mut got), original.outline_glyph(old, &mut want), "{kind}: box of {c}");
                assert_eq!(got, want, "{kind}: outline of {c}");
            }
        }
    }

    /// Runs an outside validator; `None` (after saying why) when it is not installed and the
    /// validators are not required.
    fn validator(program: &str, args: &[&std::ffi::OsStr]) -> Option<std::process::Output> {
        match std::process::Command::new(program).args(args).output() {
            Ok(out) => Some(out),
            Err(e) => {
                assert!(std::env::var_os("PAPERTOOL_REQUIRE_VALIDATORS").is_none(), "{program} is required: {e}");
                eprintln!("skipped: {program} cannot run: {e}");
                None
            }
        }
    }

    /// fontTools draws every glyph of the EPUB's OpenType subset and of the PDF's bare CFF.
    const FONTTOOLS_DRAW: &str = r#"
import io, sys
from fontTools.ttLib import TTFont
from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.boundsPen import BoundsPen
otf, bare = sys.argv[1], sys.argv[2]
font = TTFont(otf)
glyphs = font.getGlyphSet()
for name in font.getGlyphOrder():
    glyphs[name].draw(RecordingPen())
    glyphs[name].draw(BoundsPen(glyphs))
cff = CFFFontSet()
with open(bare, "rb") as f:
    cff.decompile(io.BytesIO(f.read()), None)
top = cff.topDictIndex[0]
assert top.ROS == ("Adobe", "Identity", 0), top.ROS
assert not hasattr(top, "FDArray") or len(top.FDArray) >= 1
strings = top.CharStrings
for name in top.charset:
    strings[name].draw(RecordingPen())
assert len(top.charset) == top.CIDCount == len(font.getGlyphOrder()), (len(top.charset), top.CIDCount)
print(len(top.charset))
"#;

    #[test]
    fn validators_accept_the_subsets() {
        let dir = FontDir::locate(None).unwrap();
        let chars = issue_chars();
        let tmp = tempfile::tempdir().unwrap();
        let mut faces: Vec<(String, Vec<u8>)> =
            [Face::SerifRegular, Face::SansBold].iter().map(|&f| (f.to_string(), dir.load(f).unwrap().to_vec())).collect();
        // A name-keyed face, converted to CID-keyed, where the system has one.
        let name_keyed = "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf";
        match std::fs::read(name_keyed) {
            Ok(data) => faces.push(("NimbusSans-Regular.otf".into(), data)),
            Err(e) => eprintln!("no name-keyed face checked: {name_keyed}: {e}"),
        }
        for (kind, font) in faces {
            let s = subset(&font, &chars, "face").unwrap();
            let otf = tmp.path().join(&kind);
            std::fs::write(&otf, &s.bytes).unwrap();
            // The PDF's program: the bare CFF of the same glyphs.
            let face = ttf_parser::Face::parse(&font, 0).unwrap();
            let mut order = GlyphOrder::new();
            for &c in &chars {
                if let Some(g) = face.glyph_index(c) {
                    order.add(g.0);
                }
            }
            let cff = fonts::subset::cff(face.raw_face().table(ttf_parser::Tag(CFF)).unwrap(), order.glyphs()).unwrap();
            let bare = tmp.path().join(format!("{kind}.cff"));
            std::fs::write(&bare, &cff).unwrap();

            let have_fonttools = validator("python3", &["-c".as_ref(), "import fontTools".as_ref()]).filter(|o| {
                o.status.success() || {
                    assert!(std::env::var_os("PAPERTOOL_REQUIRE_VALIDATORS").is_none(), "fontTools is required");
                    eprintln!("skipped: fontTools is not installed (pip install fonttools)");
                    false
                }
            });
            if have_fonttools.is_some() {
                let out = validator("python3", &["-c".as_ref(), FONTTOOLS_DRAW.as_ref(), otf.as_os_str(), bare.as_os_str()]).unwrap();
                assert!(out.status.success(), "{kind}: fontTools: {}", String::from_utf8_lossy(&out.stderr));
                assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), order.glyphs().len().to_string());
            }
            let clean = tmp.path().join(format!("{kind}.ots"));
            if let Some(out) = validator("ots-sanitize", &[otf.as_os_str(), clean.as_os_str()]) {
                assert!(out.status.success(), "{kind}: ots-sanitize: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            }
        }
    }
}
