//! The pure-Rust core the extension wraps. Its test vectors live beside it in `cases.json`,
//! which the extension's Python tests read too.

/// The weighted sum of `values`: each value times its 1-based position.
pub fn weighted_sum(values: &[i64]) -> i64 {
    values.iter().zip(1..).map(|(value, weight)| value * weight).sum()
}
