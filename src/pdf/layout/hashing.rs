//! The hash maps of the layout's caches: shapes by part and width, cuts by item, width and room.
//!
//! Used by [`super::blocks`] and [`super::page`]. The page search looks their keys up a hundred
//! thousand times an issue, and each key is a few small integers that layout makes itself, never
//! text from the input, so std's SipHash (a guard against keys chosen to collide) buys nothing
//! and cost a tenth of the search. This is the multiply-and-rotate hash rustc uses for its own
//! tables. Nothing iterates these maps, so their order cannot reach the output.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hash map for keys of small integers made by layout.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// An odd constant with well-mixed bits (rustc's `FxHasher`'s): multiplying by it spreads a small
/// integer's bits over the whole word.
const MULTIPLIER: u64 = 0xf135_7aea_2e62_a9c5;

/// Hashes each word into the state by one multiply; the finish rotates the well-mixed high bits
/// down to where the table picks its bucket.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.hash = self.hash.wrapping_add(word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(i.into());
    }

    fn write_u16(&mut self, i: u16) {
        self.add(i.into());
    }

    fn write_u32(&mut self, i: u32) {
        self.add(i.into());
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn keys_differing_in_one_small_field_hash_apart() {
        let b = BuildHasherDefault::<FastHasher>::default();
        let mut seen = std::collections::HashSet::new();
        for start in 0..40usize {
            for end in start..start + 40 {
                for flag in [false, true] {
                    assert!(seen.insert(b.hash_one((start, end, flag))), "({start}, {end}, {flag}) collides");
                }
            }
        }
        // The low bits pick the bucket: they must vary too, not only the high ones.
        let buckets: std::collections::HashSet<u64> = (0..64u32).map(|w| b.hash_one((3usize, w)) & 63).collect();
        assert!(buckets.len() > 32, "{} of 64 buckets", buckets.len());
    }

    #[test]
    fn a_map_finds_what_it_holds() {
        let mut m: FastMap<(usize, u32, u32), u32> = FastMap::default();
        for k in 0..1000u32 {
            m.insert((k as usize % 7, k, 1.5f32.to_bits() ^ k), k);
        }
        assert!((0..1000u32).all(|k| m.get(&(k as usize % 7, k, 1.5f32.to_bits() ^ k)) == Some(&k)));
    }
}
