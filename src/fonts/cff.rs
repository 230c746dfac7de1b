//! Reading and writing the pieces of a CFF table (Adobe TN5176): INDEXes, DICTs and their
//! numbers, FDSelect. Used by [`super::subset`] to cut the shipped CID-keyed faces down.
//!
//! Everything read is a borrowed slice of the font and read lazily: an [`Index`] is its offset
//! array, entry `i` is found when asked for. A CJK face holds tens of thousands of charstrings and
//! subroutines of which a document uses a few hundred, so nothing is collected up front. Every
//! read is bounds-checked: a malformed font is an [`Error`], never a panic.

use std::fmt;

/// Why a CFF table could not be cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The table breaks the format (truncated, offsets out of range, calls too deep, …).
    Malformed(&'static str),
    /// Valid CFF this reader does not handle (`seac` accents, computed subroutine numbers,
    /// several fonts in one table); the caller cuts such a face with the `subsetter` crate
    /// instead.
    Unsupported(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Malformed(why) => write!(f, "malformed font: {why}"),
            Error::Unsupported(why) => write!(f, "not handled: {why}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Big-endian unsigned integer of `size` (1–4) bytes at `at`.
fn read_uint(data: &[u8], at: usize, size: usize) -> Option<u32> {
    let bytes = data.get(at..at.checked_add(size)?)?;
    Some(bytes.iter().fold(0u32, |v, &b| (v << 8) | u32::from(b)))
}

fn read_u8(data: &[u8], at: usize) -> Result<u8> {
    data.get(at).copied().ok_or(Error::Malformed("truncated table"))
}

pub fn read_u16(data: &[u8], at: usize) -> Result<u16> {
    read_uint(data, at, 2).map(|v| v as u16).ok_or(Error::Malformed("truncated table"))
}

/// A CFF INDEX: a count, an offset array and the data the offsets point into.
#[derive(Debug, Clone, Copy)]
pub struct Index<'a> {
    /// The whole INDEX, from its count to the end of its last entry.
    bytes: &'a [u8],
    count: usize,
    off_size: usize,
}

/// Size of an INDEX's count field (CFF 1: Card16).
const INDEX_COUNT_SIZE: usize = 2;

impl<'a> Index<'a> {
    /// Reads the INDEX starting at `at` in `data`; only its offset array and last offset are
    /// looked at, to know where it ends.
    pub fn parse(data: &'a [u8], at: usize) -> Result<Index<'a>> {
        let truncated = Error::Malformed("truncated INDEX");
        let count = usize::from(read_u16(data, at).map_err(|_| truncated.clone())?);
        if count == 0 {
            let bytes = data.get(at..at + INDEX_COUNT_SIZE).ok_or(truncated)?;
            return Ok(Index { bytes, count, off_size: 1 });
        }
        let off_size = usize::from(read_u8(data, at + INDEX_COUNT_SIZE).map_err(|_| truncated.clone())?);
        if !(1..=4).contains(&off_size) {
            return Err(Error::Malformed("INDEX offset size not 1 to 4"));
        }
        let offsets = at + INDEX_COUNT_SIZE + 1;
        let data_start = offsets + (count + 1) * off_size - 1; // offsets count from 1
        let last = read_uint(data, offsets + count * off_size, off_size).ok_or(truncated.clone())? as usize;
        if read_uint(data, offsets, off_size) != Some(1) || last < 1 {
            return Err(Error::Malformed("INDEX does not start at offset 1"));
        }
        let end = data_start.checked_add(last).ok_or(truncated.clone())?;
        let bytes = data.get(at..end).ok_or(truncated)?;
        Ok(Index { bytes, count, off_size })
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The INDEX's bytes as they stand in the font (to copy it whole).
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Entry `i`.
    pub fn get(&self, i: usize) -> Result<&'a [u8]> {
        if i >= self.count {
            return Err(Error::Malformed("INDEX entry out of range"));
        }
        let offsets = INDEX_COUNT_SIZE + 1;
        let data_start = offsets + (self.count + 1) * self.off_size - 1;
        let offset = |k: usize| read_uint(self.bytes, offsets + k * self.off_size, self.off_size).map(|v| v as usize);
        match (offset(i), offset(i + 1)) {
            (Some(start), Some(end)) if start <= end => {
                self.bytes.get(data_start + start..data_start + end).ok_or(Error::Malformed("INDEX entry beyond its data"))
            }
            _ => Err(Error::Malformed("INDEX offsets out of order")),
        }
    }
}

/// Writes an INDEX of `entries` with the smallest offset size that holds them.
pub fn write_index<T: AsRef<[u8]>>(out: &mut Vec<u8>, entries: &[T]) {
    out.extend((entries.len() as u16).to_be_bytes());
    if entries.is_empty() {
        return;
    }
    let total: usize = entries.iter().map(|e| e.as_ref().len()).sum();
    let off_size = offset_size(total + 1);
    out.push(off_size as u8);
    let mut offset = 1usize;
    let push = |out: &mut Vec<u8>, v: usize| out.extend(&(v as u32).to_be_bytes()[4 - off_size..]);
    push(out, offset);
    for e in entries {
        offset += e.as_ref().len();
        push(out, offset);
    }
    for e in entries {
        out.extend(e.as_ref());
    }
}

/// The size an INDEX of `entries` takes when written.
pub fn index_size<T: AsRef<[u8]>>(entries: &[T]) -> usize {
    index_size_of(entries.len(), entries.iter().map(|e| e.as_ref().len()).sum())
}

/// The size an INDEX of `count` entries of `total` bytes in all takes when written, for one
/// whose entries are not written yet.
pub fn index_size_of(count: usize, total: usize) -> usize {
    if count == 0 {
        return INDEX_COUNT_SIZE;
    }
    INDEX_COUNT_SIZE + 1 + (count + 1) * offset_size(total + 1) + total
}

fn offset_size(max: usize) -> usize {
    match max {
        0..=0xFF => 1,
        0x100..=0xFFFF => 2,
        0x1_0000..=0xFF_FFFF => 3,
        _ => 4,
    }
}

/// A DICT operator: one byte, or `12 x` as `0x0C00 | x`.
pub type Operator = u16;

/// Escape byte of the two-byte DICT and charstring operators.
pub const ESCAPE: u8 = 12;

pub mod op {
    use super::Operator;
    pub const VERSION: Operator = 0;
    pub const NOTICE: Operator = 1;
    pub const FULL_NAME: Operator = 2;
    pub const FAMILY_NAME: Operator = 3;
    pub const WEIGHT: Operator = 4;
    pub const UNIQUE_ID: Operator = 13;
    pub const XUID: Operator = 14;
    pub const CHARSET: Operator = 15;
    pub const ENCODING: Operator = 16;
    pub const CHAR_STRINGS: Operator = 17;
    pub const PRIVATE: Operator = 18;
    pub const SUBRS: Operator = 19;
    pub const COPYRIGHT: Operator = 0x0C00;
    pub const CHARSTRING_TYPE: Operator = 0x0C06;
    pub const SYNTHETIC_BASE: Operator = 0x0C14;
    pub const POSTSCRIPT: Operator = 0x0C15;
    pub const BASE_FONT_NAME: Operator = 0x0C16;
    pub const ROS: Operator = 0x0C1E;
    pub const CID_COUNT: Operator = 0x0C22;
    pub const UID_BASE: Operator = 0x0C23;
    pub const FD_ARRAY: Operator = 0x0C24;
    pub const FD_SELECT: Operator = 0x0C25;
    pub const FONT_NAME: Operator = 0x0C26;

    /// Operators whose operands are string ids (all of them: ROS's third is a number).
    pub const SID_VALUED: [Operator; 10] =
        [VERSION, NOTICE, FULL_NAME, FAMILY_NAME, WEIGHT, COPYRIGHT, POSTSCRIPT, BASE_FONT_NAME, FONT_NAME, ROS];
}

/// One DICT entry: its operator, its operands' bytes as they were, and their integer values
/// (a real number reads as `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    pub op: Operator,
    pub operand_bytes: &'a [u8],
    pub operands: Vec<Option<i32>>,
}

impl Entry<'_> {
    /// The `n`th operand as an integer.
    pub fn int(&self, n: usize) -> Result<i32> {
        self.operands.get(n).copied().flatten().ok_or(Error::Malformed("DICT operand missing or not an integer"))
    }

    /// The `n`th operand as a non-negative offset or size.
    pub fn offset(&self, n: usize) -> Result<usize> {
        usize::try_from(self.int(n)?).map_err(|_| Error::Malformed("negative offset in a DICT"))
    }
}

/// A DICT number at `at`: its value (`None` for a real) and its length in bytes; `None` if the
/// byte there does not start a number. (Charstrings encode numbers differently: 29 is an
/// operator there and 255 a fixed-point number; `charstring` reads its own.)
fn read_dict_number(data: &[u8], at: usize) -> Result<Option<(Option<i32>, usize)>> {
    let b0 = read_u8(data, at)?;
    let byte = |k: usize| read_u8(data, at + k).map(i32::from);
    Ok(Some(match b0 {
        32..=246 => (Some(i32::from(b0) - 139), 1),
        247..=250 => (Some((i32::from(b0) - 247) * 256 + byte(1)? + 108), 2),
        251..=254 => (Some(-(i32::from(b0) - 251) * 256 - byte(1)? - 108), 2),
        28 => (Some(i32::from(read_u16(data, at + 1)? as i16)), 3),
        29 => (Some(read_uint(data, at + 1, 4).ok_or(Error::Malformed("truncated DICT"))? as i32), 5),
        30 => {
            // A real: nibbles up to the 0xF terminator.
            let mut len = 1;
            loop {
                let b = read_u8(data, at + len).map_err(|_| Error::Malformed("unterminated real number"))?;
                len += 1;
                if b >> 4 == 0xF || b & 0xF == 0xF {
                    break;
                }
            }
            (None, len)
        }
        _ => return Ok(None),
    }))
}

/// The entries of a DICT, in order.
fn parse_dict(data: &[u8]) -> Result<Vec<Entry<'_>>> {
    let mut entries = Vec::new();
    let (mut at, mut start) = (0, 0);
    let mut operands = Vec::new();
    while at < data.len() {
        if let Some((value, len)) = read_dict_number(data, at)? {
            operands.push(value);
            at += len;
            continue;
        }
        let b0 = data[at];
        let op = if b0 == ESCAPE {
            at += 1;
            0x0C00 | Operator::from(read_u8(data, at).map_err(|_| Error::Malformed("truncated DICT operator"))?)
        } else if b0 <= 21 {
            Operator::from(b0)
        } else {
            return Err(Error::Malformed("reserved byte in a DICT"));
        };
        let operand_bytes = &data[start..if b0 == ESCAPE { at - 1 } else { at }];
        entries.push(Entry { op, operand_bytes, operands: std::mem::take(&mut operands) });
        at += 1;
        start = at;
    }
    if !operands.is_empty() {
        return Err(Error::Malformed("DICT ends in operands"));
    }
    Ok(entries)
}

/// The first entry of `dict` with operator `op`.
fn find<'d, 'a>(dict: &'d [Entry<'a>], op: Operator) -> Option<&'d Entry<'a>> {
    dict.iter().find(|e| e.op == op)
}

/// Appends an integer in its shortest DICT form.
pub fn write_int(out: &mut Vec<u8>, v: i32) {
    match v {
        -107..=107 => out.push((v + 139) as u8),
        108..=1131 => {
            let v = v - 108;
            out.extend([(v >> 8) as u8 + 247, v as u8]);
        }
        -1131..=-108 => {
            let v = -v - 108;
            out.extend([(v >> 8) as u8 + 251, v as u8]);
        }
        -32768..=32767 => {
            out.push(28);
            out.extend((v as i16).to_be_bytes());
        }
        _ => write_int5(out, v),
    }
}

/// Size of the fixed five-byte integer form, used for every offset so that a DICT's size is
/// known before the offsets it holds.
pub const INT5_SIZE: usize = 5;

/// Appends an integer in the five-byte form (`29` and four bytes).
pub fn write_int5(out: &mut Vec<u8>, v: i32) {
    out.push(29);
    out.extend(v.to_be_bytes());
}

pub fn write_op(out: &mut Vec<u8>, op: Operator) {
    if op >= 0x0C00 {
        out.extend([ESCAPE, op as u8]);
    } else {
        out.push(op as u8);
    }
}

/// Size of a written operator.
pub fn op_size(op: Operator) -> usize {
    if op >= 0x0C00 { 2 } else { 1 }
}

/// A CID font's FDSelect: which Font DICT each glyph uses.
#[derive(Debug, Clone, Copy)]
enum FdSelect<'a> {
    /// One byte per glyph.
    Format0(&'a [u8]),
    /// Ranges (first glyph u16, FD u8), then a sentinel glyph id.
    Format3 { ranges: &'a [u8], sentinel: u16 },
}

/// Size of a format 3 FDSelect range record.
const FD_RANGE3_SIZE: usize = 3;

impl<'a> FdSelect<'a> {
    fn parse(data: &'a [u8], at: usize, glyphs: usize) -> Result<FdSelect<'a>> {
        let truncated = Error::Malformed("truncated FDSelect");
        match read_u8(data, at)? {
            0 => Ok(FdSelect::Format0(data.get(at + 1..at + 1 + glyphs).ok_or(truncated)?)),
            3 => {
                let n = usize::from(read_u16(data, at + 1)?);
                let ranges = data.get(at + 3..at + 3 + n * FD_RANGE3_SIZE).ok_or(truncated)?;
                let sentinel = read_u16(data, at + 3 + n * FD_RANGE3_SIZE)?;
                if n == 0 || read_u16(ranges, 0)? != 0 {
                    return Err(Error::Malformed("FDSelect does not start at glyph 0"));
                }
                Ok(FdSelect::Format3 { ranges, sentinel })
            }
            _ => Err(Error::Malformed("FDSelect format not 0 or 3")),
        }
    }

    /// The Font DICT of glyph `gid`.
    fn fd(&self, gid: u16) -> Result<u8> {
        let missing = Error::Malformed("glyph not in FDSelect");
        match *self {
            FdSelect::Format0(fds) => fds.get(usize::from(gid)).copied().ok_or(missing),
            FdSelect::Format3 { ranges, sentinel } => {
                if gid >= sentinel {
                    return Err(missing);
                }
                let n = ranges.len() / FD_RANGE3_SIZE;
                let first = |k: usize| u16::from_be_bytes([ranges[k * FD_RANGE3_SIZE], ranges[k * FD_RANGE3_SIZE + 1]]);
                // The last range whose first glyph is at or before `gid` (range 0 starts at 0).
                let (mut lo, mut hi) = (0, n);
                while hi - lo > 1 {
                    let mid = (lo + hi) / 2;
                    if first(mid) <= gid { lo = mid } else { hi = mid }
                }
                Ok(ranges[lo * FD_RANGE3_SIZE + 2])
            }
        }
    }
}

/// SIDs below this name the standard strings (CFF spec, appendix A); the String INDEX holds
/// the ones from here on.
pub const STANDARD_STRINGS: usize = 391;

/// The `CharstringType` this reader knows: Type 2.
const TYPE2_CHARSTRINGS: i32 = 2;

/// A CFF font, read just far enough to find each part.
#[derive(Debug, Clone)]
pub struct Font<'a> {
    pub names: Index<'a>,
    pub top: Vec<Entry<'a>>,
    pub strings: Index<'a>,
    pub global_subrs: Index<'a>,
    pub char_strings: Index<'a>,
    keying: Keying<'a>,
    data: &'a [u8],
}

/// How glyphs find their Private DICT.
#[derive(Debug, Clone)]
enum Keying<'a> {
    /// A CID font: each glyph's Font DICT is given by FDSelect.
    Cid { fd_array: Index<'a>, fd_select: FdSelect<'a> },
    /// A name-keyed font: one Private DICT, named by the Top DICT's `Private` entry, which
    /// reads as the single Font DICT of a CID font.
    Name { private: Entry<'a> },
}

/// One Font DICT of a CID font (empty for a name-keyed font) with its Private DICT and local
/// subroutines.
#[derive(Debug, Clone)]
pub struct FontDict<'a> {
    pub dict: Vec<Entry<'a>>,
    pub private: Vec<Entry<'a>>,
    pub local_subrs: Index<'a>,
}

/// The INDEX of no entries, for a Private DICT without `Subrs`.
static EMPTY_INDEX: [u8; INDEX_COUNT_SIZE] = [0, 0];

impl<'a> Font<'a> {
    /// Reads the `CFF ` table `data`.
    pub fn parse(data: &'a [u8]) -> Result<Font<'a>> {
        if read_u8(data, 0)? != 1 {
            return Err(Error::Unsupported("CFF major version not 1"));
        }
        let header_size = usize::from(read_u8(data, 2)?);
        let names = Index::parse(data, header_size)?;
        let mut at = header_size + names.bytes().len();
        let top_dicts = Index::parse(data, at)?;
        at += top_dicts.bytes().len();
        let strings = Index::parse(data, at)?;
        at += strings.bytes().len();
        let global_subrs = Index::parse(data, at)?;
        if names.len() != 1 {
            return Err(Error::Unsupported("more than one font in the CFF table"));
        }
        let top = parse_dict(top_dicts.get(0)?)?;
        if let Some(kind) = find(&top, op::CHARSTRING_TYPE) {
            if kind.int(0)? != TYPE2_CHARSTRINGS {
                return Err(Error::Unsupported("charstrings not Type 2"));
            }
        }
        let required = |o: Operator, what: &'static str| {
            find(&top, o).ok_or(Error::Malformed(what)).and_then(|e| e.offset(0))
        };
        let char_strings = Index::parse(data, required(op::CHAR_STRINGS, "no CharStrings")?)?;
        let keying = if find(&top, op::ROS).is_some() {
            let fd_array = Index::parse(data, required(op::FD_ARRAY, "CID font without FDArray")?)?;
            let fd_select = FdSelect::parse(data, required(op::FD_SELECT, "CID font without FDSelect")?, char_strings.len())?;
            Keying::Cid { fd_array, fd_select }
        } else {
            let private = find(&top, op::PRIVATE).ok_or(Error::Malformed("font without Private DICT"))?.clone();
            Keying::Name { private }
        };
        Ok(Font { names, top, strings, global_subrs, char_strings, keying, data })
    }

    /// How many Font DICTs the font has (one for a name-keyed font).
    pub fn font_dicts(&self) -> usize {
        match &self.keying {
            Keying::Cid { fd_array, .. } => fd_array.len(),
            Keying::Name { .. } => 1,
        }
    }

    /// Whether glyphs find their Private DICT through FDSelect (a CID font, where `seac` is not
    /// allowed).
    pub fn is_cid(&self) -> bool {
        matches!(self.keying, Keying::Cid { .. })
    }

    /// The Font DICT of glyph `gid`.
    pub fn fd(&self, gid: u16) -> Result<u8> {
        match &self.keying {
            Keying::Cid { fd_select, .. } => fd_select.fd(gid),
            Keying::Name { .. } => Ok(0),
        }
    }

    /// Font DICT `fd` with its Private DICT and local subroutines.
    pub fn font_dict(&self, fd: u8) -> Result<FontDict<'a>> {
        let (dict, private) = match &self.keying {
            Keying::Cid { fd_array, .. } => {
                let dict = parse_dict(fd_array.get(usize::from(fd))?)?;
                let private = find(&dict, op::PRIVATE).ok_or(Error::Malformed("Font DICT without Private DICT"))?.clone();
                (dict, private)
            }
            Keying::Name { private } if fd == 0 => (Vec::new(), private.clone()),
            Keying::Name { .. } => return Err(Error::Malformed("Font DICT out of range")),
        };
        let (size, offset) = (private.offset(0)?, private.offset(1)?);
        let bytes = offset.checked_add(size).and_then(|end| self.data.get(offset..end)).ok_or(Error::Malformed("Private DICT out of range"))?;
        let private = parse_dict(bytes)?;
        let local_subrs = match find(&private, op::SUBRS) {
            // Subrs counts from the start of the Private DICT.
            Some(subrs) => Index::parse(self.data, offset.checked_add(subrs.offset(0)?).ok_or(Error::Malformed("Subrs out of range"))?)?,
            None => Index::parse(&EMPTY_INDEX, 0)?,
        };
        Ok(FontDict { dict, private, local_subrs })
    }

    /// The string of a non-standard SID.
    pub fn string(&self, sid: usize) -> Result<&'a [u8]> {
        sid.checked_sub(STANDARD_STRINGS).ok_or(Error::Malformed("standard string asked of the String INDEX")).and_then(|i| self.strings.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of<T: AsRef<[u8]>>(entries: &[T]) -> Vec<u8> {
        let mut out = Vec::new();
        write_index(&mut out, entries);
        out
    }

    #[test]
    fn index_round_trip_and_sizes() {
        let small: Vec<&[u8]> = vec![b"ab", b"", b"cde"];
        let bytes = index_of(&small);
        assert_eq!(bytes, [0, 3, 1, 1, 3, 3, 6, b'a', b'b', b'c', b'd', b'e']);
        assert_eq!(index_size(&small), bytes.len());
        let mut padded = bytes.clone();
        padded.extend([0xAA; 3]);
        let index = Index::parse(&padded, 0).unwrap();
        assert_eq!(index.len(), 3);
        assert_eq!(index.bytes().len(), bytes.len(), "the INDEX ends where its last entry does");
        assert_eq!((index.get(0).unwrap(), index.get(1).unwrap(), index.get(2).unwrap()), (&b"ab"[..], &b""[..], &b"cde"[..]));
        assert!(index.get(3).is_err());
        // Two-byte offsets once the data passes 255 bytes.
        let big = vec![vec![7u8; 300]];
        let bytes = index_of(&big);
        assert_eq!(bytes[2], 2);
        assert_eq!(index_size(&big), bytes.len());
        assert_eq!(Index::parse(&bytes, 0).unwrap().get(0).unwrap().len(), 300);
        // An empty INDEX is its count alone.
        assert_eq!(index_of(&[] as &[&[u8]]), [0, 0]);
        assert_eq!(Index::parse(&[0, 0], 0).unwrap().len(), 0);
    }

    #[test]
    fn malformed_indexes_are_errors() {
        let bytes = index_of(&[b"abc" as &[u8], b"de"]);
        for cut in 0..bytes.len() {
            assert!(Index::parse(&bytes[..cut], 0).is_err(), "truncated at {cut}");
        }
        let mut bad_size = bytes.clone();
        bad_size[2] = 5;
        assert!(Index::parse(&bad_size, 0).is_err());
        let mut unordered = bytes.clone();
        unordered[4] = 7; // entry 0 ends after entry 1 does, and beyond the data
        let index = Index::parse(&unordered, 0).unwrap();
        assert!(index.get(0).is_err() && index.get(1).is_err());
        let mut not_one = bytes;
        not_one[3] = 0;
        assert!(Index::parse(&not_one, 0).is_err());
    }

    #[test]
    fn number_forms() {
        for v in [0, 107, -107, 108, 1131, -108, -1131, 1132, -1132, 32767, -32768, 32768, -40000, i32::MAX] {
            let mut out = Vec::new();
            write_int(&mut out, v);
            let expected_len = match v.abs() {
                0..=107 => 1,
                108..=1131 => 2,
                _ if (-32768..=32767).contains(&v) => 3,
                _ => 5,
            };
            assert_eq!(out.len(), expected_len, "{v}");
            assert_eq!(read_dict_number(&out, 0).unwrap(), Some((Some(v), out.len())), "{v}");
            let mut five = Vec::new();
            write_int5(&mut five, v);
            assert_eq!(read_dict_number(&five, 0).unwrap(), Some((Some(v), INT5_SIZE)));
        }
        // A real: -2.25 is 1e e2 a2 5f.
        assert_eq!(read_dict_number(&[0x1e, 0xe2, 0xa2, 0x5f], 0).unwrap(), Some((None, 4)));
        assert!(read_dict_number(&[0x1e, 0xe2], 0).is_err(), "unterminated real");
        assert!(read_dict_number(&[28, 1], 0).is_err(), "truncated short int");
        assert_eq!(read_dict_number(&[18], 0).unwrap(), None, "an operator");
    }

    #[test]
    fn dict_parsing_and_writing() {
        let mut dict = Vec::new();
        write_int(&mut dict, 391);
        write_int(&mut dict, 392);
        write_int(&mut dict, 0);
        write_op(&mut dict, op::ROS);
        dict.extend([0x1e, 0xe2, 0xa2, 0x5f]);
        write_op(&mut dict, 0x0C1F); // CIDFontVersion, a real
        write_int(&mut dict, 100);
        write_int5(&mut dict, 123_456);
        write_op(&mut dict, op::PRIVATE);
        let entries = parse_dict(&dict).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].op, op::ROS);
        assert_eq!(entries[0].operands, [Some(391), Some(392), Some(0)]);
        assert_eq!(entries[1].operands, [None]);
        assert_eq!(entries[1].operand_bytes, [0x1e, 0xe2, 0xa2, 0x5f]);
        let private = find(&entries, op::PRIVATE).unwrap();
        assert_eq!((private.offset(0).unwrap(), private.offset(1).unwrap()), (100, 123_456));
        assert!(private.int(2).is_err());
        assert_eq!(op_size(op::ROS) + op_size(op::PRIVATE), 3);
        assert!(parse_dict(&[139]).is_err(), "operands without an operator");
        assert!(parse_dict(&[139, 12]).is_err(), "truncated escape");
        assert!(parse_dict(&[139, 255]).is_err(), "reserved byte");
    }

    #[test]
    fn fd_select_formats() {
        // Format 3: glyphs 0–1 in FD 2, 2–4 in FD 0, sentinel 5.
        let f3 = [3, 0, 2, 0, 0, 2, 0, 2, 0, 0, 5];
        let sel = FdSelect::parse(&f3, 0, 5).unwrap();
        let fds: Vec<u8> = (0..5).map(|g| sel.fd(g).unwrap()).collect();
        assert_eq!(fds, [2, 2, 0, 0, 0]);
        assert!(sel.fd(5).is_err());
        let f0 = [0, 1, 1, 0];
        let sel = FdSelect::parse(&f0, 0, 3).unwrap();
        assert_eq!((sel.fd(0).unwrap(), sel.fd(2).unwrap()), (1, 0));
        assert!(sel.fd(3).is_err());
        assert!(FdSelect::parse(&f3[..9], 0, 5).is_err(), "truncated");
        assert!(FdSelect::parse(&[1, 0], 0, 1).is_err(), "format 1");
    }
}
