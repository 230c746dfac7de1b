//! Cutting a CFF face down to the glyphs a document uses, for both editions: the
//! PDF embeds the bare `CFF ` table ([`cff()`]), the EPUB a whole OpenType file, whose tables
//! besides `cmap` and `OS/2` come from [`opentype_tables`].
//!
//! The subset is CID-keyed whatever the original's ROS: Adobe-Identity-0, glyph `i` is CID `i`
//! (charset format 2, one range), so a PDF's Identity-H codes and an OpenType `cmap` both address
//! glyphs by their new ids. Charstrings are desubroutinized ([`super::charstring`]): no
//! subroutine is kept. Only the Font DICTs the glyphs use are kept, renumbered in their original
//! order, each with its Private DICT less `Subrs`. Every offset is written in the five-byte
//! integer form, so the layout is known before anything is written; the output depends only on
//! the font and the glyph order.
//!
//! A name-keyed font becomes a CID font of one Font DICT (its Private DICT; the glyph names
//! go). The few charstring constructs copying cannot follow come back as
//! [`Error::Unsupported`]; the callers cut such faces (and TrueType ones) with `subsetter`.

use std::collections::HashMap;

use super::cff::{self, op, write_index, write_int, write_int5, write_op, Font, Error, FontDict, Operator, Result, INT5_SIZE};
use super::charstring::{desubroutinize, Subrs};

/// The glyphs of a subset in their new order: `.notdef` first, as the formats require, then each
/// glyph the first time it is added. A glyph's new id is its position.
#[derive(Debug, Clone)]
pub struct GlyphOrder {
    old: Vec<u16>,
    new: HashMap<u16, u16>,
}

impl Default for GlyphOrder {
    fn default() -> Self {
        GlyphOrder { old: vec![NOTDEF], new: HashMap::from([(NOTDEF, 0)]) }
    }
}

const NOTDEF: u16 = 0;

impl GlyphOrder {
    pub fn new() -> GlyphOrder {
        GlyphOrder::default()
    }

    /// Adds `old` (if new) and returns its id in the subset.
    pub fn add(&mut self, old: u16) -> u16 {
        *self.new.entry(old).or_insert_with(|| {
            self.old.push(old);
            (self.old.len() - 1) as u16
        })
    }

    /// The original glyph ids, in the subset's order.
    pub fn glyphs(&self) -> &[u16] {
        &self.old
    }
}

/// The CFF header written: version 1.0, four bytes, offsets (unused by readers) of four bytes.
const HEADER: [u8; 4] = [1, 0, 4, 4];

/// The subset's ROS: its CIDs are its glyph ids, in no character collection.
const REGISTRY: &[u8] = b"Adobe";
const ORDERING: &[u8] = b"Identity";
const SUPPLEMENT: i32 = 0;

/// Top DICT entries not copied: written anew (ROS, CIDCount and the offsets), or wrong for a
/// subset (the unique ids name the whole font, an encoding has no place in a CID font).
const TOP_DICT_REWRITTEN: [Operator; 12] = [
    op::ROS,
    op::CHARSET,
    op::ENCODING,
    op::CHAR_STRINGS,
    op::PRIVATE,
    op::FD_ARRAY,
    op::FD_SELECT,
    op::CID_COUNT,
    op::UNIQUE_ID,
    op::XUID,
    op::UID_BASE,
    op::SYNTHETIC_BASE,
];

/// charset format 2 (ranges with a 16-bit count), for all glyphs after `.notdef` as one range.
const CHARSET_RANGES16: u8 = 2;
/// charset format 0 (an array), empty: the charset of a subset of `.notdef` alone.
const CHARSET_ARRAY: u8 = 0;
/// FDSelect format 3 (ranges).
const FD_SELECT_RANGES: u8 = 3;

/// Cuts the `CFF ` table `data` down to `order`'s glyphs.
pub fn cff(data: &[u8], order: &[u16]) -> Result<Vec<u8>> {
    let font = Font::parse(data)?;
    let glyphs = order.len();
    if glyphs == 0 || order[0] != NOTDEF || glyphs > usize::from(u16::MAX) {
        return Err(Error::Malformed("a subset starts with .notdef and has at most 65535 glyphs"));
    }

    // Charstrings, and which Font DICT each glyph uses.
    let global = Subrs::new(font.global_subrs);
    // A CID font without subroutines (the shipped faces: fonts/build.py inlines them) has whole
    // charstrings and no `seac`: they are copied as they are, unread (on a four-page issue the
    // reading was 8 M instructions, 5 % of its PDF).
    let whole = font.is_cid() && global.is_empty();
    let mut font_dicts: Vec<Option<(FontDict, Subrs)>> = vec![None; font.font_dicts()];
    let mut glyph_fds = Vec::with_capacity(glyphs);
    // Sized once: grown by doubling, the copies and the blocks left behind spread a subset over
    // more of the 2 MB pages the kernel zeroes. (The glyphs' own charstrings are what a whole
    // copy takes, and a fair guess at what inlining subroutines makes.)
    let sizes: usize = order.iter().map(|&gid| font.char_strings.get(usize::from(gid)).map_or(0, <[u8]>::len)).sum();
    let mut char_strings = Vec::with_capacity(sizes);
    let mut ends = Vec::with_capacity(glyphs);
    for &gid in order {
        let fd = font.fd(gid)?;
        let slot = font_dicts.get_mut(usize::from(fd)).ok_or(Error::Malformed("FDSelect names a missing Font DICT"))?;
        if slot.is_none() {
            let dict = font.font_dict(fd)?;
            let local = Subrs::new(dict.local_subrs);
            *slot = Some((dict, local));
        }
        let (_, local) = slot.as_ref().expect("filled above");
        let charstring = font.char_strings.get(usize::from(gid))?;
        if whole && local.is_empty() {
            char_strings.extend_from_slice(charstring);
        } else {
            desubroutinize(charstring, &global, local, &mut char_strings)?;
        }
        ends.push(char_strings.len());
        glyph_fds.push(fd);
    }
    // The used Font DICTs, renumbered in their original order: `new_fd[old]` is the new number.
    let mut used: Vec<&FontDict> = Vec::new();
    let mut new_fd = vec![0u8; font_dicts.len()];
    for (old, slot) in font_dicts.iter().enumerate() {
        if let Some((dict, _)) = slot {
            new_fd[old] = used.len() as u8;
            used.push(dict);
        }
    }

    // Strings: the ROS's, then each the kept DICTs name, once.
    let mut strings = Strings::default();
    let registry = strings.add(REGISTRY);
    let ordering = strings.add(ORDERING);

    let mut top_entries = Vec::new();
    write_int(&mut top_entries, registry);
    write_int(&mut top_entries, ordering);
    write_int(&mut top_entries, SUPPLEMENT);
    write_op(&mut top_entries, op::ROS);
    for entry in font.top.iter().filter(|e| !TOP_DICT_REWRITTEN.contains(&e.op)) {
        copy_entry(&font, entry, &mut strings, &mut top_entries)?;
    }
    write_int(&mut top_entries, glyphs as i32);
    write_op(&mut top_entries, op::CID_COUNT);
    // charset, FDSelect, CharStrings, FDArray: offsets filled in below.
    let top_offsets = [op::CHARSET, op::FD_SELECT, op::CHAR_STRINGS, op::FD_ARRAY];
    let top_size = top_entries.len() + top_offsets.iter().map(|&o| INT5_SIZE + cff::op_size(o)).sum::<usize>();

    // Font DICTs (Private offsets filled in below) and Private DICTs less Subrs.
    let mut fd_entries = Vec::new();
    let mut privates = Vec::new();
    for dict in &used {
        let mut entries = Vec::new();
        for entry in dict.dict.iter().filter(|e| e.op != op::PRIVATE) {
            copy_entry(&font, entry, &mut strings, &mut entries)?;
        }
        fd_entries.push(entries);
        let mut private = Vec::new();
        for entry in dict.private.iter().filter(|e| e.op != op::SUBRS) {
            private.extend_from_slice(entry.operand_bytes);
            write_op(&mut private, entry.op);
        }
        privates.push(private);
    }
    let private_entry_size = 2 * INT5_SIZE + cff::op_size(op::PRIVATE);
    let fd_sizes: Vec<usize> = fd_entries.iter().map(|e| e.len() + private_entry_size).collect();

    // FDSelect ranges: (first glyph, new FD).
    let mut fd_ranges: Vec<(u16, u8)> = Vec::new();
    for (gid, &fd) in glyph_fds.iter().enumerate() {
        let fd = new_fd[usize::from(fd)];
        if fd_ranges.last().is_none_or(|&(_, last)| last != fd) {
            fd_ranges.push((gid as u16, fd));
        }
    }

    // Layout.
    let string_list = strings.list;
    let char_string_list: Vec<&[u8]> = ends.iter().scan(0, |start, &end| {
        let s = &char_strings[*start..end];
        *start = end;
        Some(s)
    }).collect();
    // Format byte, then one range (first CID, count after it) or nothing.
    let charset_size = if glyphs > 1 { 1 + 2 + 2 } else { 1 };
    // Format byte, range count, the ranges (first glyph, FD), the sentinel.
    let fd_select_size = 1 + 2 + 3 * fd_ranges.len() + 2;
    let charset_at = HEADER.len()
        + font.names.bytes().len()
        + cff::index_size_of(1, top_size)
        + cff::index_size(&string_list)
        + cff::index_size_of(0, 0);
    let fd_select_at = charset_at + charset_size;
    let char_strings_at = fd_select_at + fd_select_size;
    let fd_array_at = char_strings_at + cff::index_size(&char_string_list);
    let privates_at = fd_array_at + cff::index_size_of(fd_sizes.len(), fd_sizes.iter().sum());

    let mut out = Vec::with_capacity(privates_at + privates.iter().map(Vec::len).sum::<usize>());
    out.extend(HEADER);
    out.extend(font.names.bytes());
    for (o, at) in top_offsets.iter().zip([charset_at, fd_select_at, char_strings_at, fd_array_at]) {
        write_int5(&mut top_entries, offset(at)?);
        write_op(&mut top_entries, *o);
    }
    debug_assert_eq!(top_entries.len(), top_size);
    write_index(&mut out, &[&top_entries]);
    write_index(&mut out, &string_list);
    write_index(&mut out, &[] as &[&[u8]]);

    debug_assert_eq!(out.len(), charset_at);
    if glyphs > 1 {
        out.push(CHARSET_RANGES16);
        out.extend(1u16.to_be_bytes()); // CID 1 …
        out.extend(((glyphs - 2) as u16).to_be_bytes()); // … and the glyphs after it
    } else {
        out.push(CHARSET_ARRAY); // no glyph besides .notdef
    }
    out.push(FD_SELECT_RANGES);
    out.extend((fd_ranges.len() as u16).to_be_bytes());
    for (first, fd) in &fd_ranges {
        out.extend(first.to_be_bytes());
        out.push(*fd);
    }
    out.extend((glyphs as u16).to_be_bytes());

    debug_assert_eq!(out.len(), char_strings_at);
    write_index(&mut out, &char_string_list);

    let mut private_at = privates_at;
    for (entries, private) in fd_entries.iter_mut().zip(&privates) {
        write_int5(entries, offset(private.len())?);
        write_int5(entries, offset(private_at)?);
        write_op(entries, op::PRIVATE);
        private_at += private.len();
    }
    debug_assert_eq!(out.len(), fd_array_at);
    write_index(&mut out, &fd_entries);
    debug_assert_eq!(out.len(), privates_at);
    for private in &privates {
        out.extend(private);
    }
    Ok(out)
}

fn offset(at: usize) -> Result<i32> {
    i32::try_from(at).map_err(|_| Error::Malformed("subset larger than CFF offsets reach"))
}

/// Copies a DICT entry, its string ids renumbered for the subset's String INDEX.
fn copy_entry<'a>(font: &Font<'a>, entry: &cff::Entry<'a>, strings: &mut Strings<'a>, out: &mut Vec<u8>) -> Result<()> {
    if op::SID_VALUED.contains(&entry.op) {
        // ROS's third operand is a number, not a string.
        let sids = if entry.op == op::ROS { 2 } else { entry.operands.len() };
        for n in 0..entry.operands.len() {
            let v = entry.int(n)?;
            if n < sids && v as usize >= cff::STANDARD_STRINGS {
                let sid = usize::try_from(v).map_err(|_| Error::Malformed("negative string id"))?;
                write_int(out, strings.add(font.string(sid)?));
            } else {
                write_int(out, v);
            }
        }
    } else {
        out.extend_from_slice(entry.operand_bytes);
    }
    write_op(out, entry.op);
    Ok(())
}

/// The subset's String INDEX, each string once.
#[derive(Default)]
struct Strings<'a> {
    list: Vec<&'a [u8]>,
}

impl<'a> Strings<'a> {
    /// The SID of `s` in the subset.
    fn add(&mut self, s: &'a [u8]) -> i32 {
        let i = self.list.iter().position(|&t| t == s).unwrap_or_else(|| {
            self.list.push(s);
            self.list.len() - 1
        });
        (cff::STANDARD_STRINGS + i) as i32
    }
}

/// An sfnt table tag as the big-endian number the table directory holds.
pub const fn tag(s: &[u8; 4]) -> u32 {
    u32::from_be_bytes(*s)
}

pub const CFF: u32 = tag(b"CFF ");
pub const HEAD: u32 = tag(b"head");
const HHEA: u32 = tag(b"hhea");
const HMTX: u32 = tag(b"hmtx");
const MAXP: u32 = tag(b"maxp");
const NAME: u32 = tag(b"name");
const POST: u32 = tag(b"post");

/// Where `numberOfHMetrics` sits in `hhea`.
const HHEA_NUM_METRICS_OFFSET: usize = 34;
/// `maxp` version 0.5, the one for CFF outlines: a version and a glyph count.
const MAXP_CFF_VERSION: u32 = 0x0000_5000;
/// `post` format 3: the header alone, no glyph names (a CFF font has its own).
const POST_NO_NAMES: u32 = 0x0003_0000;
const POST_HEADER_SIZE: usize = 32;
/// Windows platform, Unicode BMP and full-repertoire encodings; and the Unicode platform.
const PLATFORM_UNICODE: u16 = 0;
const PLATFORM_WINDOWS: u16 = 3;
const WINDOWS_ENCODINGS: [u16; 2] = [1, 10];
/// The name ids a reading system may show or need: copyright, family, style, unique id, full
/// name, version, PostScript name, trademark, manufacturer, designer, vendor and designer URLs,
/// licence and its URL, typographic family and style (descriptions and sample text left out).
const KEPT_NAME_IDS: [u16; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17];
const NAME_RECORD_SIZE: usize = 12;

/// The tables of an OpenType subset of `face` to `order`'s glyphs, besides `cmap` and `OS/2`
/// (which the caller builds for the characters it maps): `CFF `, `head`, `hhea`, `hmtx`, `maxp`
/// (0.5), `name` and `post` (format 3). The face has no vertical metrics to keep.
pub fn opentype_tables(face: &ttf_parser::RawFace, order: &[u16]) -> Result<Vec<(u32, Vec<u8>)>> {
    let table = |t: u32| face.table(ttf_parser::Tag(t)).ok_or(Error::Malformed("a required table is missing"));
    let cff = cff(table(CFF)?, order)?;
    let (hhea, hmtx) = (table(HHEA)?, table(HMTX)?);
    let long_metrics = usize::from(cff::read_u16(hhea, HHEA_NUM_METRICS_OFFSET)?);
    if long_metrics == 0 {
        return Err(Error::Malformed("hhea has no metrics"));
    }
    let metric = |gid: usize| -> Result<(u16, u16)> {
        let adv_at = 4 * gid.min(long_metrics - 1);
        let lsb_at = if gid < long_metrics { 4 * gid + 2 } else { 4 * long_metrics + 2 * (gid - long_metrics) };
        Ok((cff::read_u16(hmtx, adv_at)?, cff::read_u16(hmtx, lsb_at)?))
    };
    let metrics: Vec<(u16, u16)> = order.iter().map(|&g| metric(usize::from(g))).collect::<Result<_>>()?;
    // Trailing glyphs of the last advance keep only their side bearing.
    let last_advance = metrics.last().expect("a subset has .notdef").0;
    let long = metrics.len() - metrics.iter().rev().take_while(|m| m.0 == last_advance).count() + 1;
    let mut new_hmtx = Vec::with_capacity(4 * metrics.len());
    for (i, (advance, lsb)) in metrics.iter().enumerate() {
        if i < long {
            new_hmtx.extend(advance.to_be_bytes());
        }
        new_hmtx.extend(lsb.to_be_bytes());
    }
    let mut new_hhea = hhea.get(..HHEA_NUM_METRICS_OFFSET + 2).ok_or(Error::Malformed("truncated hhea"))?.to_vec();
    new_hhea[HHEA_NUM_METRICS_OFFSET..].copy_from_slice(&(long as u16).to_be_bytes());

    let mut maxp = MAXP_CFF_VERSION.to_be_bytes().to_vec();
    maxp.extend((order.len() as u16).to_be_bytes());

    let mut post = table(POST)?.get(..POST_HEADER_SIZE).ok_or(Error::Malformed("truncated post"))?.to_vec();
    post[..4].copy_from_slice(&POST_NO_NAMES.to_be_bytes());

    Ok(vec![
        (CFF, cff),
        (HEAD, table(HEAD)?.to_vec()),
        (HHEA, new_hhea),
        (HMTX, new_hmtx),
        (MAXP, maxp),
        (NAME, name(table(NAME)?)?),
        (POST, post),
    ])
}

/// The `name` table with the Unicode records of [`KEPT_NAME_IDS`] (format 0, strings shared
/// where they repeat).
fn name(original: &[u8]) -> Result<Vec<u8>> {
    let count = usize::from(cff::read_u16(original, 2)?);
    let storage = usize::from(cff::read_u16(original, 4)?);
    let mut records: Vec<[u16; 6]> = Vec::new();
    let mut strings: Vec<u8> = Vec::new();
    let mut placed: Vec<(&[u8], u16)> = Vec::new();
    for i in 0..count {
        let at = 6 + NAME_RECORD_SIZE * i;
        let field = |k: usize| cff::read_u16(original, at + 2 * k);
        let (platform, encoding, language, id, len, off) = (field(0)?, field(1)?, field(2)?, field(3)?, field(4)?, field(5)?);
        let unicode = platform == PLATFORM_UNICODE || (platform == PLATFORM_WINDOWS && WINDOWS_ENCODINGS.contains(&encoding));
        // Language ids from 0x8000 point into a format 1 table's language tags, not kept.
        if !unicode || !KEPT_NAME_IDS.contains(&id) || language >= 0x8000 {
            continue;
        }
        let start = storage + usize::from(off);
        let s = original.get(start..start + usize::from(len)).ok_or(Error::Malformed("name string out of range"))?;
        let offset = match placed.iter().find(|(t, _)| *t == s) {
            Some(&(_, o)) => o,
            None => {
                let o = u16::try_from(strings.len()).map_err(|_| Error::Malformed("name strings too long"))?;
                strings.extend(s);
                placed.push((s, o));
                o
            }
        };
        records.push([platform, encoding, language, id, len, offset]);
    }
    let mut out = Vec::new();
    out.extend(0u16.to_be_bytes());
    out.extend((records.len() as u16).to_be_bytes());
    out.extend(((6 + NAME_RECORD_SIZE * records.len()) as u16).to_be_bytes());
    for record in records {
        for v in record {
            out.extend(v.to_be_bytes());
        }
    }
    out.extend(strings);
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::fonts::{Face, FontDir};

    /// A glyph's outline as path commands with their points (the EPUB subset's tests use it too).
    #[derive(Default, Debug, PartialEq)]
    pub(crate) struct Path(Vec<(char, [f32; 6])>);

    impl ttf_parser::OutlineBuilder for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(('M', [x, y, 0.0, 0.0, 0.0, 0.0]));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(('L', [x, y, 0.0, 0.0, 0.0, 0.0]));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.push(('Q', [x1, y1, x, y, 0.0, 0.0]));
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.push(('C', [x1, y1, x2, y2, x, y]));
        }
        fn close(&mut self) {
            self.0.push(('Z', [0.0; 6]));
        }
    }

    const CFF_FACES: [Face; 3] = [Face::SerifRegular, Face::SerifBold, Face::SansBold];

    fn order_of(glyphs: impl IntoIterator<Item = u16>) -> Vec<u16> {
        let mut order = GlyphOrder::new();
        for g in glyphs {
            order.add(g);
        }
        order.glyphs().to_vec()
    }

    /// Characters of a text file beside the repository (the seed) or in it (the samples).
    fn text_glyphs(face: &ttf_parser::Face, path: &str) -> Option<Vec<u16>> {
        // A sample in a legacy encoding still gives a set of (other) characters.
        let text = String::from_utf8_lossy(&std::fs::read(path).ok()?).into_owned();
        let mut chars: Vec<char> = text.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        Some(chars.into_iter().filter_map(|c| face.glyph_index(c)).map(|g| g.0).collect())
    }

    /// Glyph sets to check each face with.
    fn glyph_sets(face: &ttf_parser::Face, font: &Font) -> Vec<(String, Vec<u16>)> {
        let n = face.number_of_glyphs();
        let mut sets = vec![("notdef".to_string(), vec![0])];
        let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/000_f05fcb516d19c53a.txt");
        match text_glyphs(face, seed) {
            Some(g) => sets.push(("seed".into(), g)),
            None if std::env::var_os("PAPERTOOL_REQUIRE_VALIDATORS").is_some() => panic!("seed missing: {seed}"),
            None => eprintln!("skipped the seed's glyphs: {seed} is missing"),
        }
        for sample in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/samples")).unwrap() {
            let path = sample.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                sets.push((path.display().to_string(), text_glyphs(face, path.to_str().unwrap()).unwrap()));
            }
        }
        // Random sets, in random order (a fixed linear congruential sequence).
        let mut x: u32 = 12345;
        for size in [1, 50, 700] {
            let set = (0..size).map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ((x >> 8) % u32::from(n)) as u16
            });
            sets.push((format!("random {size}"), set.collect()));
        }
        // Every glyph of the Font DICT of the first ideograph.
        let fd = font.fd(face.glyph_index('一').unwrap().0).unwrap();
        sets.push((format!("FD {fd}"), (0..n).filter(|&g| font.fd(g).unwrap() == fd).collect()));
        sets
    }

    /// Calls `check` with each shipped CFF face: its kind, the face, its `CFF ` table and that
    /// table read.
    fn each_cff_face(check: impl Fn(Face, &ttf_parser::Face, &[u8], &Font)) {
        let dir = FontDir::locate(None).unwrap();
        for face_kind in CFF_FACES {
            let data = dir.load(face_kind).unwrap();
            let face = ttf_parser::Face::parse(&data, 0).unwrap();
            let table = face.raw_face().table(ttf_parser::Tag(CFF)).unwrap();
            check(face_kind, &face, table, &Font::parse(table).unwrap());
        }
    }

    #[test]
    fn subsets_draw_every_glyph_as_the_original_does() {
        each_cff_face(|face_kind, face, table, font| {
            for (name, glyphs) in glyph_sets(face, font) {
                let order = order_of(glyphs);
                let cut = cff(table, &order).unwrap_or_else(|e| panic!("{face_kind} {name}: {e}"));
                assert_eq!(cut, cff(table, &order).unwrap(), "deterministic");
                let subset = ttf_parser::cff::Table::parse(&cut).unwrap_or_else(|| panic!("{face_kind} {name}: unreadable"));
                assert_eq!(usize::from(subset.number_of_glyphs()), order.len());
                let reparsed = Font::parse(&cut).unwrap();
                assert_eq!(reparsed.global_subrs.len(), 0);
                for (new, &old) in order.iter().enumerate() {
                    let (mut want, mut got) = (Path::default(), Path::default());
                    let want_box = face.outline_glyph(ttf_parser::GlyphId(old), &mut want);
                    let got_box = subset.outline(ttf_parser::GlyphId(new as u16), &mut got).ok();
                    assert_eq!(got, want, "{face_kind} {name}: glyph {old} (now {new})");
                    assert_eq!(got_box, want_box, "{face_kind} {name}: glyph {old}");
                    assert_eq!(subset.glyph_cid(ttf_parser::GlyphId(new as u16)), Some(new as u16));
                    // The glyph keeps its Font DICT (and so its hinting zones).
                    let (was, is) = (font.fd(old).unwrap(), reparsed.fd(new as u16).unwrap());
                    assert_eq!(font.font_dict(was).unwrap().private.iter().filter(|e| e.op != op::SUBRS).collect::<Vec<_>>(),
                        reparsed.font_dict(is).unwrap().private.iter().collect::<Vec<_>>());
                }
            }
        });
    }

    /// fonts/build.py inlines the shipped faces' subroutines, so their subsets copy each
    /// charstring as it stands.
    #[test]
    fn shipped_faces_have_no_subroutines_and_keep_their_charstrings_byte_for_byte() {
        each_cff_face(|face_kind, face, table, font| {
            assert!(font.is_cid(), "{face_kind}");
            assert_eq!(font.global_subrs.len(), 0, "{face_kind}: global subroutines");
            for fd in 0..font.font_dicts() {
                assert_eq!(font.font_dict(fd as u8).unwrap().local_subrs.len(), 0, "{face_kind}: Font DICT {fd}");
            }
            let glyph = face.glyph_index('报').unwrap().0;
            let cut = Font::parse(&cff(table, &[0, glyph]).unwrap()).unwrap().char_strings.get(1).unwrap().to_vec();
            assert_eq!(cut, font.char_strings.get(usize::from(glyph)).unwrap(), "{face_kind}");
        });
    }

    /// Name-keyed faces (the system's URW base 35, which the PDF may fall back on) become CID
    /// fonts of one Font DICT drawing the same outlines. Skipped where they are not installed.
    #[test]
    fn name_keyed_faces_convert_to_cid() {
        let dir = std::path::Path::new("/usr/share/fonts/opentype/urw-base35");
        let Ok(entries) = std::fs::read_dir(dir) else {
            assert!(std::env::var_os("PAPERTOOL_REQUIRE_VALIDATORS").is_none(), "no name-keyed faces in {}", dir.display());
            eprintln!("skipped: no name-keyed faces in {} (Debian's fonts-urw-base35)", dir.display());
            return;
        };
        let mut checked = 0;
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "otf") {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            let face = ttf_parser::Face::parse(&data, 0).unwrap();
            let table = face.raw_face().table(ttf_parser::Tag(CFF)).unwrap();
            // Glyphs copying cannot follow (seac accents) are left to subsetter, one by one.
            let (mut kept, mut left) = (Vec::new(), 0);
            for g in 1..face.number_of_glyphs() {
                match cff(table, &[0, g]) {
                    Ok(_) => kept.push(g),
                    Err(Error::Unsupported(_)) => left += 1,
                    Err(e) => panic!("{}: glyph {g}: {e}", path.display()),
                }
            }
            assert!(left * 10 < kept.len(), "{}: {left} glyphs unsupported", path.display());
            kept.reverse(); // a new order
            let order = order_of(kept);
            let cut = cff(table, &order).unwrap();
            let subset = ttf_parser::cff::Table::parse(&cut).unwrap();
            assert_eq!(Font::parse(&cut).unwrap().font_dicts(), 1);
            for (new, &old) in order.iter().enumerate() {
                let (mut want, mut got) = (Path::default(), Path::default());
                face.outline_glyph(ttf_parser::GlyphId(old), &mut want);
                let _ = subset.outline(ttf_parser::GlyphId(new as u16), &mut got);
                assert_eq!(got, want, "{}: glyph {old}", path.display());
            }
            checked += 1;
        }
        eprintln!("{checked} name-keyed faces checked");
    }

    /// A damaged table is an error, never a panic: every truncation of a small subset, and the
    /// subset with each byte in turn replaced.
    #[test]
    fn damaged_tables_are_errors_not_panics() {
        let dir = FontDir::locate(None).unwrap();
        let data = dir.load(Face::SansBold).unwrap();
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let glyphs: Vec<u16> = "报纸A，".chars().map(|c| face.glyph_index(c).unwrap().0).collect();
        let small = cff(face.raw_face().table(ttf_parser::Tag(CFF)).unwrap(), &order_of(glyphs)).unwrap();
        let order: Vec<u16> = (0..5).collect();
        assert!(cff(&small, &order).is_ok());
        for cut in 0..small.len() {
            assert!(cff(&small[..cut], &order).is_err(), "truncated at {cut}");
        }
        for at in 0..small.len() {
            for byte in [0x00, 0x0C, 0x1C, 0xFF] {
                let mut damaged = small.clone();
                damaged[at] = byte;
                let _ = cff(&damaged, &order);
            }
        }
        assert!(cff(&small, &[1, 2]).is_err(), "a subset starts with .notdef");
        assert!(cff(&small, &[0, 7]).is_err(), "glyph out of range");
    }
}
