//! Choosing from the catalogue: filter by family, tag, difficulty and length, and sort. The
//! lobbies and `gamelan scenarios` share it, so they always agree on what a filter means.

use super::{Difficulty, Entry};

/// How to order the catalogue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// By id (the default).
    #[default]
    Id,
    /// Easiest first, then by id.
    Difficulty,
    /// Shortest session first, then by id.
    Minutes,
    /// By failure family, then by id.
    Family,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Id, Sort::Difficulty, Sort::Minutes, Sort::Family];

    pub fn label(self) -> &'static str {
        match self {
            Sort::Id => "id",
            Sort::Difficulty => "difficulty",
            Sort::Minutes => "minutes",
            Sort::Family => "family",
        }
    }

    /// The next order, for a key that cycles through them.
    pub fn next(self) -> Sort {
        let i = Sort::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Sort::ALL[(i + 1) % Sort::ALL.len()]
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|o| o.label() == s)
    }
}

/// A filter over the catalogue; every field left empty matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Matches the scenario's family (case-insensitive).
    pub family: Option<String>,
    /// Matches one of the scenario's tags, or its family (case-insensitive).
    pub tag: Option<String>,
    pub difficulty: Option<Difficulty>,
    /// Sessions planned for at most this many minutes.
    pub max_minutes: Option<u32>,
    pub sort: Sort,
}

impl Query {
    /// Whether `entry` passes every filter.
    pub fn matches(&self, entry: &Entry) -> bool {
        let m = &entry.scenario.meta;
        let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        let family = m.family.as_deref().unwrap_or("");
        self.family.as_deref().is_none_or(|f| eq(f, family))
            && self
                .tag
                .as_deref()
                .is_none_or(|t| eq(t, family) || m.tags.iter().any(|x| eq(t, x)))
            && self.difficulty.is_none_or(|d| d == m.difficulty)
            && self.max_minutes.is_none_or(|n| m.duration_minutes <= n)
    }

    /// The indices of the entries that match, in this query's order.
    pub fn select(&self, entries: &[Entry]) -> Vec<usize> {
        let mut picked: Vec<usize> = (0..entries.len())
            .filter(|&i| self.matches(&entries[i]))
            .collect();
        let key = |i: &usize| {
            let m = &entries[*i].scenario.meta;
            let primary = match self.sort {
                Sort::Id => String::new(),
                Sort::Difficulty => format!("{}", m.difficulty as u8),
                Sort::Minutes => format!("{:010}", m.duration_minutes),
                Sort::Family => m.family.clone().unwrap_or_else(|| "~".into()),
            };
            (primary, m.id.clone())
        };
        picked.sort_by_key(key);
        picked
    }

    /// What the filter is, in a few words ("family network · ≤ 45 min"), or "all".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = &self.family {
            parts.push(format!("family {f}"));
        }
        if let Some(t) = &self.tag {
            parts.push(format!("tag {t}"));
        }
        if let Some(d) = self.difficulty {
            parts.push(d.label().to_string());
        }
        if let Some(n) = self.max_minutes {
            parts.push(format!("≤ {n} min"));
        }
        if parts.is_empty() {
            "all".into()
        } else {
            parts.join(" · ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(q: &Query) -> Vec<String> {
        let cat = super::super::bundled();
        q.select(&cat)
            .into_iter()
            .map(|i| cat[i].scenario.meta.id.clone())
            .collect()
    }

    #[test]
    fn filters_narrow_and_sorts_order() {
        let all = ids(&Query::default());
        assert!(all.len() >= 3);
        let mut sorted = all.clone();
        sorted.sort();
        assert_eq!(all, sorted, "the default order is by id");
        let intro = Query {
            difficulty: Some(Difficulty::Intro),
            ..Query::default()
        };
        let cat = super::super::bundled();
        for i in intro.select(&cat) {
            assert_eq!(cat[i].scenario.meta.difficulty, Difficulty::Intro);
        }
        let short = Query {
            max_minutes: Some(0),
            ..Query::default()
        };
        assert!(ids(&short).is_empty());
        let by_len = Query {
            sort: Sort::Minutes,
            ..Query::default()
        };
        let mins: Vec<u32> = by_len
            .select(&cat)
            .into_iter()
            .map(|i| cat[i].scenario.meta.duration_minutes)
            .collect();
        assert!(mins.windows(2).all(|w| w[0] <= w[1]), "{mins:?}");
    }

    #[test]
    fn sorts_cycle_and_parse() {
        let mut s = Sort::Id;
        for _ in 0..Sort::ALL.len() {
            assert_eq!(Sort::parse(s.label()), Some(s));
            s = s.next();
        }
        assert_eq!(s, Sort::Id);
        assert_eq!(Query::default().describe(), "all");
    }
}
