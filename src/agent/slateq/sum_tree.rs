//! A sum tree: priorities at the leaves, each inner node the sum of its children, so a
//! priority can change and an index can be drawn in proportion to its priority in O(log n).
//!
//! Parents are recomputed from their children on every change, never adjusted by the
//! difference, so rounding cannot accumulate however many updates the tree sees.

/// Non-negative weights over `0..capacity`, with proportional lookup.
#[derive(Clone, Debug)]
pub struct SumTree {
    /// Leaves start here in `nodes` (a power of two ≥ capacity).
    leaves: usize,
    capacity: usize,
    /// Heap order: node k has children 2k and 2k + 1; node 1 is the root, node 0 unused.
    nodes: Vec<f64>,
}

impl SumTree {
    /// A tree of `capacity` zero weights.
    pub fn new(capacity: usize) -> Self {
        let leaves = capacity.max(1).next_power_of_two();
        Self {
            leaves,
            capacity,
            nodes: vec![0.0; 2 * leaves],
        }
    }

    /// Sets the weight of `i` (finite and ≥ 0; anything else counts as 0).
    pub fn set(&mut self, i: usize, weight: f64) {
        assert!(
            i < self.capacity,
            "index {i} beyond capacity {}",
            self.capacity
        );
        let weight = if weight.is_finite() && weight > 0.0 {
            weight
        } else {
            0.0
        };
        let mut k = self.leaves + i;
        self.nodes[k] = weight;
        while k > 1 {
            k /= 2;
            self.nodes[k] = self.nodes[2 * k] + self.nodes[2 * k + 1];
        }
    }

    /// The weight of `i`.
    pub fn get(&self, i: usize) -> f64 {
        self.nodes[self.leaves + i]
    }

    /// The sum of all weights.
    pub fn total(&self) -> f64 {
        self.nodes[1]
    }

    /// The index whose cumulative weight interval holds `mass` (clamped into [0, total)):
    /// the smallest i with w_0 + … + w_i > mass, skipping zero weights. `None` when the
    /// total is zero.
    pub fn find(&self, mass: f64) -> Option<usize> {
        if self.total() <= 0.0 {
            return None;
        }
        let mut mass = mass.max(0.0);
        let mut k = 1;
        while k < self.leaves {
            let left = self.nodes[2 * k];
            // Rounding can leave `mass` at or past the total; such a draw goes right, where
            // the last positive weight lies, rather than into an empty subtree.
            if mass < left || self.nodes[2 * k + 1] <= 0.0 {
                k *= 2;
            } else {
                mass -= left;
                k = 2 * k + 1;
            }
        }
        Some(k - self.leaves)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The index a linear scan over prefix sums gives.
    fn naive(weights: &[f64], mass: f64) -> Option<usize> {
        let mut acc = 0.0;
        let last = weights.iter().rposition(|&w| w > 0.0)?;
        for (i, &w) in weights.iter().enumerate() {
            acc += w;
            if w > 0.0 && mass < acc {
                return Some(i);
            }
        }
        Some(last)
    }

    #[test]
    fn finds_by_cumulative_weight() {
        let mut t = SumTree::new(5);
        for (i, w) in [1.0, 0.0, 2.0, 0.5, 0.0].into_iter().enumerate() {
            t.set(i, w);
        }
        assert_eq!(t.total(), 3.5);
        assert_eq!(t.find(0.0), Some(0));
        assert_eq!(t.find(0.99), Some(0));
        assert_eq!(t.find(1.0), Some(2));
        assert_eq!(t.find(2.99), Some(2));
        assert_eq!(t.find(3.0), Some(3));
        assert_eq!(
            t.find(3.5),
            Some(3),
            "the total itself lands on the last weight"
        );
        assert_eq!(t.find(99.0), Some(3));
        t.set(2, f64::NAN);
        assert_eq!(t.get(2), 0.0);
        assert_eq!(t.total(), 1.5);
        assert_eq!(SumTree::new(3).find(0.0), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn agrees_with_a_linear_scan(
            weights in prop::collection::vec(prop_oneof![Just(0.0), 0.0..10.0f64], 1..40),
            updates in prop::collection::vec((0usize..40, 0.0..10.0f64), 0..20),
            fractions in prop::collection::vec(0.0..1.0f64, 1..20),
        ) {
            let mut w = weights.clone();
            let mut t = SumTree::new(w.len());
            for (i, &x) in w.iter().enumerate() {
                t.set(i, x);
            }
            for (i, x) in updates {
                let i = i % w.len();
                w[i] = x;
                t.set(i, x);
            }
            let total: f64 = w.iter().sum();
            prop_assert!((t.total() - total).abs() <= 1e-9 * total.max(1.0));
            for f in fractions {
                let mass = f * total;
                let got = t.find(mass);
                // Near a boundary the tree's and the scan's sums may round differently.
                let boundary = w.iter().scan(0.0, |acc, &x| { *acc += x; Some(*acc) })
                    .any(|edge: f64| (edge - mass).abs() < 1e-9);
                if !boundary {
                    prop_assert_eq!(got, naive(&w, mass));
                }
                if let Some(i) = got {
                    prop_assert!(w[i] > 0.0);
                }
            }
        }
    }
}
