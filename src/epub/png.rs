//! The cover's PNG file: an indexed picture of a few colours on a blank ground, compressed by a
//! deflate made for such a picture (a step of [`cover`](super::cover)).
//!
//! A general compressor looks for each position's match anywhere in its window, through a hash
//! of the bytes there: on the seed's cover, miniz_oxide's fastest level took 1.25 ms for the 690
//! KB of rows that carry ink (the blank rows were cut out and written by hand) and made 94 KB;
//! libdeflate's level 1, 69 KB in 1.7 ms. Set type has its matches in two places: the byte
//! before (a run of paper, or of one level of ink) and the byte above (a stroke goes on down the
//! rows). Looking there only, and coding what is found in one dynamic-Huffman block, takes 1.05
//! ms for the whole picture, blank rows and all, on one thread, and makes 73 KB. (Copies from
//! above only from 8 bytes on would make 68 KB, from 6% more tokens, which is time.)

/// PNG file bytes of an indexed picture: `lines` are its scanlines, each a filter-type byte
/// (0, none) and its pixels, `depth` bits each; `palette` colours them.
pub fn indexed(width: u32, height: u32, depth: u8, palette: &[[u8; 3]], lines: &[&[u8]]) -> Vec<u8> {
    let row_bytes = 1 + (width as usize * usize::from(depth)).div_ceil(8);
    assert_eq!(lines.len(), height as usize, "a line a row");
    assert!(lines.iter().all(|l| l.len() == row_bytes), "lines of the picture's width");
    let mut header = Vec::with_capacity(13);
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    // Bit depth, colour type 3 (indexed), deflate, adaptive filtering (type 0 in every row), no
    // interlace.
    header.extend([depth, 3, 0, 0, 0]);
    let palette = palette.concat();
    // Each chunk: its length, its kind, its body, the CRC of kind and body. The image data is
    // compressed in place, its length filled in after.
    let chunk = |out: &mut Vec<u8>, kind: &[u8; 4], body: &mut dyn FnMut(&mut Vec<u8>)| {
        let at = out.len();
        out.extend([0; 4]);
        out.extend(kind);
        body(out);
        let len = (out.len() - at - 8) as u32;
        out[at..at + 4].copy_from_slice(&len.to_be_bytes());
        let crc = crc32fast::hash(&out[at + 4..]);
        out.extend(crc.to_be_bytes());
    };
    let mut out = Vec::new();
    out.extend(b"\x89PNG\r\n\x1a\n");
    chunk(&mut out, b"IHDR", &mut |out| out.extend(&header));
    chunk(&mut out, b"PLTE", &mut |out| out.extend(&palette));
    chunk(&mut out, b"IDAT", &mut |out| zlib(lines, out));
    chunk(&mut out, b"IEND", &mut |_| {});
    out
}

/// The lines, one after the other, as a zlib stream (RFC 1950) at the end of `out`.
fn zlib(lines: &[&[u8]], out: &mut Vec<u8>) {
    // CMF 0x78: deflate, 32 KB window; FLG 0x01: the fastest kind of compressor, and the check
    // bits zlib asks for.
    out.extend([0x78, 0x01]);
    deflate(lines, out);
    let mut adler = simd_adler32::Adler32::new();
    for line in lines {
        adler.write(line);
    }
    out.extend(adler.finish().to_be_bytes());
}

/// The longest and shortest copy deflate codes (RFC 1951 §3.2.5), and the farthest back.
const MAX_MATCH: usize = 258;
const MIN_MATCH: usize = 3;
const WINDOW: usize = 32_768;

/// The deflate alphabets' sizes: literals, end of block and 29 lengths; 30 distances; 19 code
/// lengths.
const LITLEN_CODES: usize = 286;
const DIST_CODES: usize = 30;
const LENGTH_CODES: usize = 19;
const END_OF_BLOCK: usize = 256;

/// Longest codes: 15 bits in the literal/length and distance codes, 7 in the code-length code.
const MAX_BITS: usize = 15;
const MAX_LENGTH_BITS: usize = 7;

/// Length code 257 + i copies `LENGTH_BASE[i]` bytes and up, with `LENGTH_EXTRA[i]` extra bits
/// (RFC 1951 §3.2.5); distance code i, `DIST_BASE[i]` and `DIST_EXTRA[i]`.
const LENGTH_BASE: [u16; 29] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA: [u8; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE: [u16; 30] =
    [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA: [u8; 30] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

/// Bytes a block's header, its end and the last pending bits take at most: 3 + 5 + 5 + 4 bits,
/// 19 code lengths of 3 bits, 316 code lengths of 7 bits with 7 extra at most, a 15-bit end of
/// block, and the eight bytes [`Bits::put`] writes at a time.
const HEADER_BYTES_MAX: usize = (17 + 19 * 3 + (LITLEN_CODES + DIST_CODES) * 14 + 15).div_ceil(8) + 8;

/// The order the code-length code's own lengths are stored in (RFC 1951 §3.2.7).
const LENGTH_ORDER: [usize; LENGTH_CODES] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/// The length code's index (into [`LENGTH_BASE`]) of each copy length, from [`MIN_MATCH`] on.
const LENGTH_INDEX: [u8; MAX_MATCH - MIN_MATCH + 1] = {
    let mut table = [0; MAX_MATCH - MIN_MATCH + 1];
    let mut i = 0;
    while i < LENGTH_BASE.len() {
        let mut len = LENGTH_BASE[i] as usize;
        let end = if i + 1 < LENGTH_BASE.len() { LENGTH_BASE[i + 1] as usize } else { MAX_MATCH + 1 };
        while len < end {
            table[len - MIN_MATCH] = i as u8;
            len += 1;
        }
        i += 1;
    }
    table
};

/// The distance code of `distance` (1..=[`WINDOW`]).
fn dist_code(distance: usize) -> usize {
    DIST_BASE.iter().rposition(|&base| usize::from(base) <= distance).expect("distances start at 1")
}

/// One thing found in the data: a literal byte (0..=255), or a copy, `256 + 2 × (length - 3)`,
/// plus one if it is from the row above rather than the byte before.
type Token = u16;

/// Tokens there are: the literals, then each copy length from the byte before and from above.
const TOKENS: usize = 256 + 2 * (MAX_MATCH - MIN_MATCH + 1);

/// Each token's symbol in the literal/length alphabet.
const TOKEN_SYMBOL: [u16; TOKENS] = {
    let mut table = [0; TOKENS];
    let mut t = 0;
    while t < TOKENS {
        table[t] = if t < 256 { t as u16 } else { 257 + LENGTH_INDEX[(t - 256) / 2] as u16 };
        t += 1;
    }
    table
};

/// The lines, one after the other, as raw deflate (RFC 1951) at the end of `out`: one
/// dynamic-Huffman block, the last. The lines are of one length, within deflate's window.
fn deflate(lines: &[&[u8]], out: &mut Vec<u8>) {
    let row_bytes = lines.first().map_or(1, |l| l.len());
    assert!((1..=WINDOW).contains(&row_bytes), "a row above within deflate's window");
    assert!(lines.iter().all(|l| l.len() == row_bytes), "lines of one length");
    let tokens = tokenize(lines);
    let above = dist_code(row_bytes);
    let mut counts = [0u32; TOKENS];
    for &t in &tokens {
        counts[usize::from(t)] += 1;
    }
    let mut litlen = [0u32; LITLEN_CODES];
    let mut dist = [0u32; DIST_CODES];
    for (t, &n) in counts.iter().enumerate() {
        litlen[usize::from(TOKEN_SYMBOL[t])] += n;
        if t > 255 {
            dist[if t % 2 == 1 { above } else { 0 }] += n;
        }
    }
    litlen[END_OF_BLOCK] = 1;
    let litlen_lengths = code_lengths(&litlen, MAX_BITS);
    let dist_lengths = code_lengths(&dist, MAX_BITS);
    let litlen_code = Code::new(&litlen_lengths);
    let distance_code = Code::new(&dist_lengths);

    // Each token's bits: its symbol's code, then a copy's extra length bits; and the bits of
    // each distance, its code and its extra bits.
    let token_bits: Vec<(u32, u32)> = (0..TOKENS)
        .map(|t| {
            let (code, len) = litlen_code.codes[usize::from(TOKEN_SYMBOL[t])];
            if t < 256 {
                return (code, len);
            }
            let i = usize::from(LENGTH_INDEX[(t - 256) / 2]);
            let extra = ((t - 256) / 2 + MIN_MATCH - usize::from(LENGTH_BASE[i])) as u32;
            (code | extra << len, len + u32::from(LENGTH_EXTRA[i]))
        })
        .collect();
    let (near, far) = (distance_code.codes[0], distance_code.codes[above]);
    let far_extra = (row_bytes - usize::from(DIST_BASE[above])) as u32;
    let distance_bits = [near, (far.0 | far_extra << far.1, far.1 + u32::from(DIST_EXTRA[above]))];

    // The block's size, exactly but for the header: so the output is one allocation, not grown
    // (and copied) as it fills.
    let token_total: u64 = counts
        .iter()
        .enumerate()
        .map(|(t, &n)| u64::from(n) * u64::from(token_bits[t].1 + if t > 255 { distance_bits[t % 2].1 } else { 0 }))
        .sum();
    out.reserve((token_total / 8) as usize + HEADER_BYTES_MAX);
    let mut bits = Bits { out, pending: 0, count: 0 };
    bits.put(1, 1); // the last block
    bits.put(2, 2); // dynamic Huffman codes
    write_code_lengths(&mut bits, &litlen_lengths, &dist_lengths);
    for &t in &tokens {
        let (code, len) = token_bits[usize::from(t)];
        bits.put(code, len);
        if t > 255 {
            let (code, len) = distance_bits[usize::from(t & 1)];
            bits.put(code, len);
        }
    }
    let (code, len) = litlen_code.codes[END_OF_BLOCK];
    bits.put(code, len);
    bits.finish();
}

/// The lines as literals and copies, greedily: at each position the longer of the copies from a
/// byte back and from a line back, where one is long enough, else the byte. A run is found in one
/// scan, across the ends of lines, and taken in whole copies: blank rows are most of a cover.
fn tokenize(lines: &[&[u8]]) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(lines.len() * 32);
    let mut above: Option<&[u8]> = None;
    // A run of the byte before that reached the end of the line above: its length so far.
    let mut running = 0;
    for line in lines {
        let mut i = 0;
        while i < line.len() {
            // The byte before, in the stream: the line above's last at the start of a line.
            let Some(before) = (if i > 0 { Some(line[i - 1]) } else { above.and_then(|a| a.last().copied()) }) else {
                tokens.push(Token::from(line[i]));
                i += 1;
                continue;
            };
            let run = run_len(&line[i..], before);
            // A run that reaches the end of its line may go on into the next: it is held until
            // it ends, and then taken whole.
            if i + run == line.len() || running > 0 {
                running += run;
                i += run;
                if i < line.len() {
                    take_run(&mut tokens, running, before);
                    running = 0;
                }
                continue;
            }
            if run >= MAX_MATCH {
                take_run(&mut tokens, run - run % MAX_MATCH, before);
                i += run - run % MAX_MATCH;
                continue;
            }
            let up = above.map_or(0, |a| match_len(&line[i..], &a[i..]));
            if up > run && up >= MIN_MATCH {
                tokens.push(copy(up) + 1);
                i += up;
            } else if run >= MIN_MATCH {
                tokens.push(copy(run));
                i += run;
            } else {
                tokens.push(Token::from(line[i]));
                i += 1;
            }
        }
        above = Some(line);
    }
    if let Some(last) = above.and_then(|a| a.last()) {
        take_run(&mut tokens, running, *last);
    }
    tokens
}

/// The token of a copy of `len` bytes from the byte before.
fn copy(len: usize) -> Token {
    (256 + 2 * (len - MIN_MATCH)) as Token
}

/// A run of `len` bytes `byte`, after one: whole copies, then what is left as a copy or, too
/// short for one, as literals.
fn take_run(tokens: &mut Vec<Token>, len: usize, byte: u8) {
    tokens.extend(std::iter::repeat_n(copy(MAX_MATCH), len / MAX_MATCH));
    match len % MAX_MATCH {
        left @ MIN_MATCH.. => tokens.push(copy(left)),
        left => tokens.extend(std::iter::repeat_n(Token::from(byte), left)),
    }
}

/// The eight bytes at `at`, as one word to compare.
fn word(data: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(data[at..at + 8].try_into().expect("eight bytes"))
}

/// How many bytes `rest` starts with that are `byte`, however many that is; 32 bytes to a step.
fn run_len(rest: &[u8], byte: u8) -> usize {
    // A fixed 32 bytes' fold, which the compiler makes a vector compare.
    let blank = |chunk: &[u8]| chunk.iter().fold(0, |d, &b| d | (b ^ byte)) == 0;
    let mut n = rest.chunks_exact(32).take_while(|c| blank(c)).count() * 32;
    let same = u64::from_ne_bytes([byte; 8]);
    while n + 8 <= rest.len() {
        let differ = word(rest, n) ^ same;
        if differ != 0 {
            return n + (differ.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + rest[n..].iter().take_while(|&&b| b == byte).count()
}

/// How many bytes `here` and `there` start with in common, up to [`MAX_MATCH`]; eight bytes to a
/// compare.
fn match_len(here: &[u8], there: &[u8]) -> usize {
    let max = here.len().min(there.len()).min(MAX_MATCH);
    let mut n = 0;
    while n + 8 <= max {
        let differ = word(here, n) ^ word(there, n);
        if differ != 0 {
            return n + (differ.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + here[n..max].iter().zip(&there[n..max]).take_while(|(a, b)| a == b).count()
}

/// Huffman code lengths for symbols of frequencies `freqs`, none longer than `limit` bits; 0 for
/// a symbol that does not occur. At least two symbols get a code (symbols 0 or 1 are added, as
/// if they occurred once), so the code is always complete, which every inflater takes.
fn code_lengths(freqs: &[u32], limit: usize) -> Vec<u8> {
    // (frequency, symbol) of the coded symbols, rarest first.
    let mut coded: Vec<(u32, usize)> = freqs.iter().enumerate().filter(|(_, &f)| f > 0).map(|(s, &f)| (f, s)).collect();
    for (s, &f) in freqs.iter().enumerate().take(2) {
        if coded.len() < 2 && f == 0 {
            coded.push((1, s));
        }
    }
    coded.sort_unstable();
    let n = coded.len();

    // The Huffman tree, by two queues: the leaves in order, and the inner nodes, which are made
    // in order of weight. Node k < n is leaf k; a parent's index is above its children's.
    let mut weight: Vec<u64> = coded.iter().map(|&(f, _)| u64::from(f)).collect();
    let mut parent = vec![0; 2 * n - 1];
    let (mut leaf, mut inner) = (0, n);
    for node in n..2 * n - 1 {
        let mut lightest = || {
            let take_leaf = leaf < n && (inner == node || weight[leaf] <= weight[inner]);
            let taken = if take_leaf { &mut leaf } else { &mut inner };
            *taken += 1;
            *taken - 1
        };
        let (a, b) = (lightest(), lightest());
        weight.push(weight[a] + weight[b]);
        parent[a] = node;
        parent[b] = node;
    }
    let mut depth = vec![0; 2 * n - 1];
    for node in (0..2 * n - 2).rev() {
        depth[node] = depth[parent[node]] + 1;
    }

    // How many codes of each length, the deepest brought up to `limit`; that overfills the code
    // space (its Kraft sum passes 1), so codes are then moved down a level, two for one, until it
    // is exactly full again.
    let mut count = vec![0u32; limit + 1];
    for &d in &depth[..n] {
        count[d.min(limit)] += 1;
    }
    let mut filled: u64 = (1..=limit).map(|l| u64::from(count[l]) << (limit - l)).sum();
    while filled > 1 << limit {
        count[limit] -= 1;
        let l = (1..limit).rev().find(|&l| count[l] > 0).expect("an overfull code has a code shorter than the limit");
        count[l] -= 1;
        count[l + 1] += 2;
        filled -= 1;
    }

    // The longest codes to the rarest symbols.
    let mut lengths = vec![0; freqs.len()];
    let mut l = limit;
    for &(_, s) in &coded {
        while count[l] == 0 {
            l -= 1;
        }
        lengths[s] = l as u8;
        count[l] -= 1;
    }
    lengths
}

/// The canonical Huffman code of some code lengths (RFC 1951 §3.2.2), each code held bit-reversed,
/// as deflate writes a code from its highest bit.
struct Code {
    codes: Vec<(u32, u32)>,
}

impl Code {
    fn new(lengths: &[u8]) -> Code {
        let mut count = [0u32; MAX_BITS + 2];
        for &l in lengths {
            count[usize::from(l)] += 1;
        }
        count[0] = 0;
        let mut next = [0u32; MAX_BITS + 2];
        for bits in 1..=MAX_BITS + 1 {
            next[bits] = (next[bits - 1] + count[bits - 1]) << 1;
        }
        let codes = lengths
            .iter()
            .map(|&l| {
                let l = usize::from(l);
                if l == 0 {
                    return (0, 0);
                }
                let code = next[l];
                next[l] += 1;
                (code.reverse_bits() >> (32 - l), l as u32)
            })
            .collect();
        Code { codes }
    }

    fn put(&self, bits: &mut Bits, symbol: usize) {
        let (code, len) = self.codes[symbol];
        bits.put(code, len);
    }
}

/// The block header's code lengths (RFC 1951 §3.2.7): how many of each alphabet are coded, the
/// code-length code, then both codes' lengths in it, runs of a length shortened to repeats
/// (16: the last length 3–6 times; 17, 18: zero 3–10 or 11–138 times).
fn write_code_lengths(bits: &mut Bits, litlen: &[u8], dist: &[u8]) {
    let used = |lengths: &[u8], least: usize| lengths.iter().rposition(|&l| l != 0).map_or(least, |i| (i + 1).max(least));
    let (nlit, ndist) = (used(litlen, 257), used(dist, 1));
    let all: Vec<u8> = litlen[..nlit].iter().chain(&dist[..ndist]).copied().collect();

    // (symbol, its extra bits' value) of the run-length coded lengths.
    let mut runs: Vec<(usize, u32)> = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let l = all[i];
        let run = all[i..].iter().take_while(|&&x| x == l).count();
        let mut left = run;
        if l == 0 {
            while left >= 11 {
                let r = left.min(138);
                runs.push((18, (r - 11) as u32));
                left -= r;
            }
            if left >= 3 {
                runs.push((17, (left - 3) as u32));
                left = 0;
            }
        } else {
            runs.push((usize::from(l), 0));
            left -= 1;
            while left >= 3 {
                let r = left.min(6);
                runs.push((16, (r - 3) as u32));
                left -= r;
            }
        }
        runs.extend(std::iter::repeat_n((usize::from(l), 0), left));
        i += run;
    }

    let mut freqs = [0u32; LENGTH_CODES];
    for &(symbol, _) in &runs {
        freqs[symbol] += 1;
    }
    let lengths = code_lengths(&freqs, MAX_LENGTH_BITS);
    let code = Code::new(&lengths);
    let nlen = LENGTH_ORDER.iter().rposition(|&s| lengths[s] != 0).map_or(4, |i| (i + 1).max(4));
    bits.put((nlit - 257) as u32, 5);
    bits.put((ndist - 1) as u32, 5);
    bits.put((nlen - 4) as u32, 4);
    for &s in &LENGTH_ORDER[..nlen] {
        bits.put(u32::from(lengths[s]), 3);
    }
    for (symbol, extra) in runs {
        code.put(bits, symbol);
        match symbol {
            16 => bits.put(extra, 2),
            17 => bits.put(extra, 3),
            18 => bits.put(extra, 7),
            _ => {}
        }
    }
}

/// Bits written the way deflate packs them: each value from its lowest bit, into bytes from
/// their lowest bit (RFC 1951 §3.1.1). Each value writes all eight pending bytes and keeps the
/// whole ones, without a branch: whether a value fills a byte is a coin toss on coded data.
struct Bits<'a> {
    out: &'a mut Vec<u8>,
    pending: u64,
    /// Bits pending, fewer than 8 between values.
    count: u32,
}

impl Bits<'_> {
    /// The low `bits` bits of `value`, 32 at most.
    fn put(&mut self, value: u32, bits: u32) {
        self.pending |= u64::from(value) << self.count;
        self.count += bits;
        let whole = self.count / 8;
        let len = self.out.len();
        self.out.extend_from_slice(&self.pending.to_le_bytes());
        self.out.truncate(len + whole as usize);
        // At most 39 bits were pending, so `whole` is 4 at most and the shift within the word.
        self.pending >>= whole * 8;
        self.count -= whole * 8;
    }

    /// Writes what is pending, the last byte padded with zeros.
    fn finish(self) {
        let bytes = self.count.div_ceil(8) as usize;
        self.out.extend_from_slice(&self.pending.to_le_bytes()[..bytes]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// `data` cut into lines of `row_bytes`, compressed.
    fn zlib_of(data: &[u8], row_bytes: usize) -> Vec<u8> {
        let mut out = Vec::new();
        zlib(&data.chunks(row_bytes).collect::<Vec<_>>(), &mut out);
        out
    }

    fn inflate(zlib: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(zlib).read_to_end(&mut out).expect("a valid zlib stream");
        out
    }

    /// Rows of `row_bytes` like a cover's: blank, with "strokes" that go on down the rows, runs
    /// of one level and a scatter of edge bytes.
    fn picture(rows: usize, row_bytes: usize) -> Vec<u8> {
        let mut data = vec![0u8; rows * row_bytes];
        let mut seed = 12_345u32;
        for r in 0..rows {
            let row = &mut data[r * row_bytes + 1..(r + 1) * row_bytes];
            if r % 50 < 30 {
                for stroke in (3..row.len().saturating_sub(8)).step_by(37) {
                    row[stroke..stroke + 5].fill(0x77);
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    row[stroke + 5] = (seed >> 16) as u8;
                }
            }
        }
        data
    }

    #[test]
    fn pictures_inflate_back_to_their_rows() {
        for (rows, row_bytes) in [(2400, 801), (7, 3), (1, 1), (40, 33), (300, 2000)] {
            let data = picture(rows, row_bytes);
            let z = zlib_of(&data, row_bytes);
            assert_eq!(inflate(&z), data, "{rows} rows of {row_bytes}");
            assert_eq!(z, zlib_of(&data, row_bytes), "the same rows give the same bytes");
        }
        let blank = vec![0; 801 * 2400];
        let z = zlib_of(&blank, 801);
        assert_eq!(inflate(&z), blank);
        assert!(z.len() < 3_000, "a blank picture is a few runs: {} bytes", z.len());
    }

    #[test]
    fn any_bytes_inflate_back() {
        // Every literal and every copy length, in bytes no picture would have.
        let mut seed = 7u32;
        let mut data: Vec<u8> = (0..20_000)
            .map(|_| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (seed >> 24) as u8
            })
            .collect();
        for len in 1..=600 {
            data.extend(std::iter::repeat_n((len % 256) as u8, len));
        }
        for row_bytes in [1, 2, 801, WINDOW] {
            let mut data = data.clone();
            data.resize(data.len().next_multiple_of(row_bytes), 9);
            assert_eq!(inflate(&zlib_of(&data, row_bytes)), data, "rows of {row_bytes}");
        }
        assert_eq!(inflate(&zlib_of(&[], 801)), Vec::<u8>::new());
    }

    proptest::proptest! {
        /// Pictures of any size and any mix of runs, repeats of the row above and stray bytes
        /// inflate back to their lines.
        #[test]
        fn any_picture_inflates_back(row_bytes in 1usize..40, spans in proptest::collection::vec((0u8..4, 1usize..300, proptest::num::u8::ANY), 0..60)) {
            let mut data = Vec::new();
            for (kind, len, byte) in spans {
                for _ in 0..len {
                    let next = match kind {
                        0 => byte,                                                          // a run
                        1 => data.len().checked_sub(row_bytes).map_or(byte, |up| data[up]), // the row above
                        2 => byte.wrapping_add(data.len() as u8),                           // no match at all
                        _ => 0,                                                             // paper
                    };
                    data.push(next);
                }
            }
            data.resize(data.len().next_multiple_of(row_bytes), 0);
            proptest::prop_assert_eq!(inflate(&zlib_of(&data, row_bytes)), data);
        }
    }

    #[test]
    fn code_lengths_make_a_complete_code_within_the_limit() {
        let fibonacci: Vec<u32> = std::iter::successors(Some((1u32, 1u32)), |&(a, b)| Some((b, a + b))).map(|(a, _)| a).take(30).collect();
        for (freqs, limit) in [(fibonacci.clone(), 15), (fibonacci[..19].to_vec(), 7), (vec![5, 0, 0, 9, 1], 15), (vec![0, 0, 4], 7), (vec![0; 30], 15)] {
            let lengths = code_lengths(&freqs, limit);
            assert!(lengths.iter().all(|&l| usize::from(l) <= limit), "{lengths:?} within {limit}");
            let kraft: f64 = lengths.iter().filter(|&&l| l > 0).map(|&l| 0.5f64.powi(i32::from(l))).sum();
            assert_eq!(kraft, 1.0, "{lengths:?} fills the code space");
            for (s, &f) in freqs.iter().enumerate().filter(|(_, &f)| f > 0) {
                assert!(lengths[s] > 0, "symbol {s}, which occurs, has a code");
                let longer = freqs.iter().zip(&lengths).filter(|(&g, _)| g > f).all(|(_, &m)| m <= lengths[s]);
                assert!(longer, "a more frequent symbol's code is never longer than {s}'s");
            }
        }
        // Unlimited, the Fibonacci frequencies would need a 29-bit code.
        assert_eq!(code_lengths(&fibonacci, 15).iter().max(), Some(&15));
    }

    #[test]
    fn a_png_has_its_chunks_and_checksums() {
        let data = picture(10, 6);
        let png = indexed(10, 10, 4, &[[1, 2, 3], [4, 5, 6]], &data.chunks(6).collect::<Vec<_>>());
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x0a\0\0\0\x0a\x04\x03\0\0\0"));
        let plte = png.windows(4).position(|w| w == b"PLTE").unwrap();
        assert_eq!(&png[plte - 4..plte + 10], b"\0\0\0\x06PLTE\x01\x02\x03\x04\x05\x06");
        let idat = png.windows(4).position(|w| w == b"IDAT").unwrap();
        let len = u32::from_be_bytes(png[idat - 4..idat].try_into().unwrap()) as usize;
        assert_eq!(inflate(&png[idat + 4..idat + 4 + len]), data);
        let crc = u32::from_be_bytes(png[idat + 4 + len..idat + 8 + len].try_into().unwrap());
        assert_eq!(crc, crc32fast::hash(&png[idat..idat + 4 + len]));
        assert!(png.ends_with(b"\0\0\0\0IEND\xae\x42\x60\x82"));
    }
}
