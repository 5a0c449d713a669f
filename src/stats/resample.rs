//! Resampling for bootstrap intervals: a small seeded generator
//! ([`SplitMix64`]) and the percentile interval ([`percentile_interval`]).
//!
//! mint's outputs must be identical from run to run and at any thread
//! count, so a bootstrap draws from a fixed seed on one thread. SplitMix64
//! (Steele, Lea and Flood 2014; the generator Java's `SplittableRandom`
//! and the seeding of xoshiro use) is a dozen lines, passes BigCrush, and is
//! ample for drawing resample indices; it is not for cryptography.

/// SplitMix64: a 64-bit state advanced by a fixed odd constant and mixed.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator from a seed; the same seed gives the same sequence.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (`n` > 0), by Lemire's multiply-shift
    /// (its bias, below n / 2^64, is negligible for resampling).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// The percentile interval of bootstrap replicates at `level` (0.95 for a
/// 95% interval): the (1 − level)/2 and (1 + level)/2 quantiles, by linear
/// interpolation between order statistics (R's default quantile, type 7).
/// Sorts `values`. `None` when there are none.
///
/// # Examples
///
/// ```
/// use mint::stats::percentile_interval;
///
/// let mut values: Vec<f64> = (0..=100).map(f64::from).collect();
/// let (low, high) = percentile_interval(&mut values, 0.95).unwrap();
/// assert!((low - 2.5).abs() < 1e-9 && (high - 97.5).abs() < 1e-9);
/// ```
pub fn percentile_interval(values: &mut [f64], level: f64) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let quantile = |p: f64| {
        let h = (values.len() - 1) as f64 * p;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        values[lo] + (h - lo as f64) * (values[hi] - values[lo])
    };
    Some((quantile((1.0 - level) / 2.0), quantile((1.0 + level) / 2.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The first outputs for seed 1234567, from the reference C code
    // (Vigna, splitmix64.c), as quoted in many ports' tests.
    #[test]
    fn splitmix_matches_the_reference_sequence() {
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(rng.next_u64(), 9_817_491_932_198_370_423);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = SplitMix64::new(7);
        let mut seen = [false; 5];
        for _ in 0..200 {
            let i = rng.below(5);
            seen[i] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn percentile_interval_interpolates_and_handles_one_value() {
        assert_eq!(percentile_interval(&mut [], 0.95), None);
        assert_eq!(percentile_interval(&mut [0.3], 0.95), Some((0.3, 0.3)));
        let (lo, hi) = percentile_interval(&mut [1.0, 0.0], 0.5).unwrap();
        assert!((lo - 0.25).abs() < 1e-12 && (hi - 0.75).abs() < 1e-12);
    }
}
