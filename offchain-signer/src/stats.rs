//! Small statistics for the benchmark binaries.

/// The median of `xs` (the mean of the two middle values for an even count); NaN if empty.
pub fn median(mut xs: Vec<f64>) -> f64 {
	if xs.is_empty() {
		return f64::NAN;
	}
	xs.sort_by(|a, b| a.total_cmp(b));
	let n = xs.len();
	if n % 2 == 1 {
		xs[n / 2]
	} else {
		(xs[n / 2 - 1] + xs[n / 2]) / 2.0
	}
}

#[cfg(test)]
mod tests {
	#[test]
	fn median_of_odd_even_and_empty() {
		assert_eq!(super::median(vec![3.0, 1.0, 2.0]), 2.0);
		assert_eq!(super::median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
		assert!(super::median(vec![]).is_nan());
	}
}
