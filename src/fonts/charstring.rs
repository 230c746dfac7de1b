//! Type 2 charstrings with their subroutines inlined ("desubroutinized"), for
//! [`super::subset`]: a subset keeps no subroutines at all.
//!
//! The charstring's bytes are copied through as they are; only a `callsubr`/`callgsubr` is
//! replaced, by the called subroutine's bytes up to its `return` (the subroutine number in front
//! of the call is dropped). Numbers are never decoded and encoded again. Inlining also makes the
//! subset smaller than keeping the used subroutines: measured with fontTools on the seed's 743
//! glyphs, 180 KB (143 KB deflated) against 193 KB (164 KB).
//!
//! Of the glyph's meaning, only what decides how bytes are read is tracked: the operand count
//! (stem hints declare `count / 2` stems, including the implicit vstems before the first
//! `hintmask`), and the stem total (a `hintmask` or `cntrmask` is followed by one mask bit per
//! stem, rounded up to bytes). Besides that a run carries a subroutine's last integer back to
//! its caller (it may be the operand of a call right after), and counts calls and bytes to
//! bound a hostile font's work.

use super::cff::{Error, Index, Result, ESCAPE};

/// How deep subroutine calls may nest. The Type 2 spec allows 10; fonts in the wild go a
/// little further, so the limit is lenient and only stops runaway recursion.
const MAX_CALL_DEPTH: usize = 64;

/// At most this many subroutine calls inlined into one glyph: depth alone does not bound the
/// work of a malicious font whose subroutines each call two others.
const MAX_CALLS: usize = 100_000;

/// At most this many bytes of one inlined glyph (the largest CJK glyphs inline to a few KB).
const MAX_GLYPH_BYTES: usize = 1 << 20;

/// The subroutine bias (Type 2 spec §4.7): numbers are stored offset by it so the most used
/// subroutines get the shortest operands.
fn bias(count: usize) -> i32 {
    match count {
        0..1240 => 107,
        1240..33900 => 1131,
        _ => 32768,
    }
}

/// A subroutine INDEX and its bias.
#[derive(Debug, Clone, Copy)]
pub struct Subrs<'a> {
    index: Index<'a>,
    bias: i32,
}

impl<'a> Subrs<'a> {
    pub fn new(index: Index<'a>) -> Subrs<'a> {
        Subrs { index, bias: bias(index.len()) }
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    fn get(&self, operand: i32) -> Result<&'a [u8]> {
        usize::try_from(operand + self.bias)
            .ok()
            .filter(|&i| i < self.index.len())
            .ok_or(Error::Malformed("subroutine number out of range"))
            .and_then(|i| self.index.get(i))
    }
}

mod op {
    pub const HSTEM: u8 = 1;
    pub const VSTEM: u8 = 3;
    pub const CALLSUBR: u8 = 10;
    pub const RETURN: u8 = 11;
    pub const ENDCHAR: u8 = 14;
    pub const HSTEMHM: u8 = 18;
    pub const HINTMASK: u8 = 19;
    pub const CNTRMASK: u8 = 20;
    pub const VSTEMHM: u8 = 23;
    pub const SHORTINT: u8 = 28;
    pub const CALLGSUBR: u8 = 29;
    pub const FIXED: u8 = 255;
}

/// `endchar` with four operands (five with a width) is the deprecated `seac` accent
/// composition.
const SEAC_OPERANDS: usize = 4;

/// Appends `charstring`, its subroutine calls inlined, to `out`.
pub fn desubroutinize(charstring: &[u8], global: &Subrs, local: &Subrs, out: &mut Vec<u8>) -> Result<()> {
    let start = out.len();
    let mut run = Run { global, local, out, start, operands: 0, stems: 0, carried: None, calls: 0 };
    run.inline(charstring, 0)?;
    Ok(())
}

/// How a stretch of charstring ended.
enum End {
    /// Ran out or met `return`: the caller goes on.
    Return,
    /// Met `endchar`: the glyph is complete.
    EndChar,
}

struct Run<'r, 'a> {
    global: &'r Subrs<'a>,
    local: &'r Subrs<'a>,
    out: &'r mut Vec<u8>,
    /// Where this glyph starts in `out`.
    start: usize,
    /// Operands on the stack.
    operands: usize,
    /// Stem hints declared so far.
    stems: usize,
    /// A subroutine that just returned ended in an integer: where it starts in `out`, and its
    /// value (the operand of a call right after).
    carried: Option<(usize, i32)>,
    calls: usize,
}

/// The integer starting at `code[at]` (a number token, bounds already checked); `None` for a
/// 16.16 fixed-point number.
fn integer(code: &[u8], at: usize) -> Option<i32> {
    let b0 = code[at];
    match b0 {
        32..=246 => Some(i32::from(b0) - 139),
        247..=250 => Some((i32::from(b0) - 247) * 256 + i32::from(code[at + 1]) + 108),
        251..=254 => Some(-(i32::from(b0) - 251) * 256 - i32::from(code[at + 1]) - 108),
        op::SHORTINT => Some(i32::from(i16::from_be_bytes([code[at + 1], code[at + 2]]))),
        _ => None,
    }
}

impl Run<'_, '_> {
    /// Inlines `code`. Its bytes are scanned token by token but copied in runs: from the last
    /// call (or the start) up to the next call, `return` or `endchar`.
    fn inline(&mut self, code: &[u8], depth: usize) -> Result<End> {
        let mut at = 0;
        // `code[..copied]` is in `out` already (or was a dropped subroutine number).
        let mut copied = 0;
        // The last token, if it was a number: where it starts in `code`.
        let mut number_at: Option<usize> = None;
        while at < code.len() {
            let b0 = code[at];
            let carried = self.carried.take();
            let number_len = match b0 {
                32..=246 => 1,
                247..=254 => 2,
                op::SHORTINT => 3,
                op::FIXED => 5,
                _ => 0,
            };
            if number_len > 0 {
                if at + number_len > code.len() {
                    return Err(Error::Malformed("charstring ends inside a number"));
                }
                number_at = Some(at);
                self.operands += 1;
                at += number_len;
                continue;
            }
            let number = number_at.take();
            match b0 {
                op::CALLSUBR | op::CALLGSUBR => {
                    // The number is dropped from the output: the subroutine's bytes take the
                    // call's place, on the same operand stack.
                    let (pos, value) = match (number, carried) {
                        (Some(n), _) => {
                            self.out.extend_from_slice(&code[copied..n]);
                            (self.out.len(), integer(code, n))
                        }
                        (None, Some((pos, value))) if copied == at => (pos, Some(value)),
                        _ => return Err(Error::Unsupported("subroutine number not a literal")),
                    };
                    let value = value.ok_or(Error::Malformed("subroutine number not an integer"))?;
                    self.out.truncate(pos);
                    self.operands -= 1;
                    if depth + 1 > MAX_CALL_DEPTH {
                        return Err(Error::Malformed("subroutine calls nested too deep"));
                    }
                    self.calls += 1;
                    if self.calls > MAX_CALLS {
                        return Err(Error::Malformed("too many subroutine calls in one glyph"));
                    }
                    let subrs = if b0 == op::CALLSUBR { self.local } else { self.global };
                    let subr = subrs.get(value)?;
                    if let End::EndChar = self.inline(subr, depth + 1)? {
                        return Ok(End::EndChar);
                    }
                    at += 1;
                    copied = at;
                }
                op::RETURN => return self.ret(code, copied, at, number),
                op::ENDCHAR => {
                    if self.operands >= SEAC_OPERANDS {
                        return Err(Error::Unsupported("seac accent composition"));
                    }
                    self.flush(&code[copied..=at])?;
                    return Ok(End::EndChar);
                }
                op::HSTEM | op::VSTEM | op::HSTEMHM | op::VSTEMHM => {
                    self.stems += self.operands / 2;
                    self.operands = 0;
                    at += 1;
                }
                op::HINTMASK | op::CNTRMASK => {
                    // Operands left here are the implicit vstems of `vstemhm`.
                    self.stems += self.operands / 2;
                    self.operands = 0;
                    at += 1 + self.stems.div_ceil(8);
                    if at > code.len() {
                        return Err(Error::Malformed("charstring ends inside a hint mask"));
                    }
                }
                ESCAPE => {
                    let op2 = *code.get(at + 1).ok_or(Error::Malformed("charstring ends inside an operator"))?;
                    match op2 {
                        // dotsection (deprecated, a no-op), hflex, flex, hflex1, flex1.
                        0 | 34..=37 => self.operands = 0,
                        // The arithmetic and storage operators compute operands at run time,
                        // which copying cannot follow; no CJK font of ours uses them.
                        3..=30 => return Err(Error::Unsupported("charstring arithmetic operators")),
                        _ => return Err(Error::Malformed("reserved charstring operator")),
                    }
                    at += 2;
                }
                // rmoveto … hvcurveto: path operators.
                4..=8 | 21 | 22 | 24..=27 | 30 | 31 => {
                    self.operands = 0;
                    at += 1;
                }
                _ => return Err(Error::Malformed("reserved charstring operator")),
            }
        }
        // A subroutine may end without `return`.
        self.ret(code, copied, code.len(), number_at)
    }

    /// Ends a stretch at `at` (a `return` or its end): copies what is left, and carries a last
    /// integer over to the caller, whose next token may be a call that takes it.
    fn ret(&mut self, code: &[u8], copied: usize, at: usize, number: Option<usize>) -> Result<End> {
        self.flush(&code[copied..at])?;
        self.carried = number.and_then(|n| integer(code, n).map(|v| (self.out.len() - (at - n), v)));
        Ok(End::Return)
    }

    fn flush(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.extend_from_slice(bytes);
        if self.out.len() - self.start > MAX_GLYPH_BYTES {
            return Err(Error::Malformed("glyph too long with its subroutines inlined"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::cff::write_index;

    fn subrs(entries: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        write_index(&mut out, entries);
        out
    }

    fn run(charstring: &[u8], global: &[u8], local: &[u8]) -> Result<Vec<u8>> {
        let (g, l) = (Subrs::new(Index::parse(global, 0)?), Subrs::new(Index::parse(local, 0)?));
        let mut out = Vec::new();
        desubroutinize(charstring, &g, &l, &mut out)?;
        Ok(out)
    }

    /// The charstring byte of a small integer.
    fn n(v: i32) -> u8 {
        (v + 139) as u8
    }

    #[test]
    fn bias_by_count() {
        assert_eq!((bias(0), bias(1239), bias(1240), bias(33899), bias(33900)), (107, 107, 1131, 1131, 32768));
    }

    #[test]
    fn calls_are_inlined_and_their_numbers_dropped() {
        // local subr 0 (number -107): "10 rlineto return"; global subr 1 (number -106): "20 20 rmoveto return"
        let local = subrs(&[&[n(10), n(10), 5, 11]]);
        let global = subrs(&[&[n(1), 11], &[n(20), n(20), 21, 11]]);
        let glyph = [n(-106), 29, n(-107), 10, 14];
        let out = run(&glyph, &global, &local).unwrap();
        assert_eq!(out, [n(20), n(20), 21, n(10), n(10), 5, 14]);
    }

    #[test]
    fn numbers_keep_their_bytes() {
        // 1000 as a short int (28 03 e8), not in its shortest form (250 124): copied as it was.
        let glyph = [28, 0x03, 0xe8, 247, 0, 4, 255, 0, 1, 0, 0, 22, 14];
        assert_eq!(run(&glyph, &[0, 0], &[0, 0]).unwrap(), glyph);
    }

    #[test]
    fn endchar_in_a_subroutine_ends_the_glyph() {
        let local = subrs(&[&[n(1), n(1), 21, 14]]);
        let glyph = [n(-107), 10, n(5), n(5), 5, 14];
        assert_eq!(run(&glyph, &[0, 0], &local).unwrap(), [n(1), n(1), 21, 14]);
    }

    #[test]
    fn hint_masks_count_implicit_vstems() {
        // Width, 3 hstemhm pairs (6 operands + width = 7), then 7 vstems given implicitly before
        // the hintmask: 10 stems, so the mask is two bytes. The mask's second byte is 14, which
        // would read as endchar if the mask were taken as one byte.
        let mut glyph = vec![n(50)];
        glyph.extend([n(1); 6]);
        glyph.push(18); // hstemhm
        glyph.extend([n(2); 14]);
        glyph.extend([19, 0xFF, 14]); // hintmask, 2 bytes
        glyph.extend([n(3), n(3), 21, 20, 0x01, 0x02, n(4), 6, 14]); // cntrmask, same stems
        assert_eq!(run(&glyph, &[0, 0], &[0, 0]).unwrap(), glyph);
        // The stems may be declared in a subroutine and the mask used in the caller.
        let local = subrs(&[&glyph[..8]]);
        let mut caller = vec![n(-107), 10];
        caller.extend(&glyph[8..]);
        assert_eq!(run(&caller, &[0, 0], &local).unwrap(), glyph);
    }

    #[test]
    fn malformed_charstrings_are_errors() {
        let none = [0u8, 0];
        // Subroutine number out of range (empty local INDEX; and past the end of a one-entry one).
        assert!(matches!(run(&[n(0), 10, 14], &none, &none), Err(Error::Malformed(_))));
        let one = subrs(&[&[11]]);
        assert!(run(&[n(-107), 10, 14], &none, &one).is_ok());
        assert!(matches!(run(&[n(-106), 10, 14], &none, &one), Err(Error::Malformed(_))));
        assert!(matches!(run(&[251, 0, 10, 14], &none, &one), Err(Error::Malformed(_))), "-108");
        // A subroutine that calls itself.
        let recursive = subrs(&[&[n(-107), 10, 11]]);
        assert!(matches!(run(&[n(-107), 10, 14], &none, &recursive), Err(Error::Malformed(_))));
        // Truncated number, truncated mask, reserved operator.
        assert!(run(&[28, 1], &none, &none).is_err());
        assert!(run(&[n(1), n(1), 1, 19], &none, &none).is_err());
        assert!(run(&[n(1), 2, 14], &none, &none).is_err());
        assert!(run(&[12], &none, &none).is_err());
    }

    #[test]
    fn what_copying_cannot_follow_is_unsupported() {
        let none = [0u8, 0];
        let one = subrs(&[&[11]]);
        // seac: endchar with four operands.
        let seac = [n(0), n(0), n(65), n(66), 14];
        assert!(matches!(run(&seac, &none, &none), Err(Error::Unsupported(_))));
        // A computed subroutine number: "-107 0 add callsubr".
        let computed = [n(-107), n(0), 12, 10, 10, 14];
        assert!(matches!(run(&computed, &none, &one), Err(Error::Unsupported(_))));
        // A call with nothing before it.
        assert!(matches!(run(&[10, 14], &none, &one), Err(Error::Unsupported(_))));
    }
}
