//! Variation that is stable: a hash of the fursona's content drives a tiny generator, so the same
//! fursona always draws the same way and two fursonas of one species still differ.

use crate::domain::fursona::Fursona;

/// FNV-1a, 64 bits: fixed constants, so the value never changes between builds or machines
/// (unlike `std`'s randomly keyed `DefaultHasher`).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

/// The hash of every field, each closed by a separator so that moving text between fields
/// changes it.
pub(crate) fn of(fursona: &Fursona) -> u64 {
    let mut bytes = Vec::with_capacity(512);
    let mut field = |text: &str| {
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(0x1f);
    };
    field(&fursona.name);
    field(&fursona.species);
    for swatch in &fursona.palette {
        field(&swatch.name);
        field(&swatch.hex);
        field(&swatch.placement);
    }
    field(&fursona.markings);
    field(&fursona.eye_color);
    for personality_trait in &fursona.personality {
        field(personality_trait);
    }
    field(&fursona.backstory);
    fnv1a(&bytes)
}

/// SplitMix64: small, fast, and good enough to pick shapes.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// In [0, 1).
    pub fn unit(&mut self) -> f32 {
        // 24 bits fill an f32 mantissa exactly, so the result is never rounded up to 1.
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    pub fn range(&mut self, low: f32, high: f32) -> f32 {
        low + (high - low) * self.unit()
    }

    /// In [0, n); 0 when n is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, p: f32) -> bool {
        self.unit() < p
    }

    /// A separate stream for one part, so adding a draw to one part does not reshuffle others.
    pub fn fork(&mut self, salt: u64) -> Rng {
        Rng(self.next_u64() ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_published_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn the_generator_is_repeatable_and_in_range() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        for _ in 0..1000 {
            let x = a.unit();
            assert_eq!(x, b.unit());
            assert!((0.0..1.0).contains(&x));
            assert!(a.below(7) < 7 && b.below(7) < 7);
        }
    }
}
