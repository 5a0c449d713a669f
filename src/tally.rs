//! Frequency tables: per-participant tallies merged in path order, and the
//! theme × group matrix built from them.
//!
//! References are coded segments; participants (cases) are people with at
//! least one coded segment. A theme counts a segment once however many of
//! its codes apply. Participant counts are never summed across groups: they
//! come from the per-participant tallies, so a participant is one case
//! however many files they appear in.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::attributes::Attributes;
use crate::codebook::{Codebook, Origin};
use crate::coding::Counts;

/// The label of a group whose attribute value is missing.
pub const MISSING: &str = "(missing)";

/// What one participant contributed, over all their files.
pub type ParticipantTally = Counts;

/// Tallies for a whole corpus, by participant id.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Per participant, in id order.
    pub participants: BTreeMap<String, ParticipantTally>,
}

impl Tally {
    /// Adds what `participant` said in one transcript.
    pub fn add(&mut self, participant: &str, counts: &Counts) {
        self.participants
            .entry(participant.to_string())
            .or_default()
            .add(counts);
    }
}

/// One column of the matrix: a combination of breakdown attribute values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The values, one per breakdown attribute ([`MISSING`] when absent).
    pub values: Vec<String>,
    /// Participants in the group (the denominator).
    pub size: u64,
}

impl Group {
    /// The values joined for display, e.g. `strategic / health`.
    pub fn label(&self) -> String {
        if self.values.is_empty() {
            "all".to_string()
        } else {
            self.values.join(" / ")
        }
    }
}

/// One cell: references and participants in a group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cell {
    /// Coded segments.
    pub references: u64,
    /// Participants with at least one coded segment.
    pub participants: u64,
    /// Participants in the group.
    pub group_size: u64,
    /// `participants / group_size` as a percentage (0 for an empty group).
    pub percent: f64,
}

impl Cell {
    fn new(references: u64, participants: u64, group_size: u64) -> Cell {
        let percent = if group_size == 0 {
            0.0
        } else {
            100.0 * participants as f64 / group_size as f64
        };
        Cell {
            references,
            participants,
            group_size,
            percent,
        }
    }
}

/// One row: a theme, or a code within it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Theme id.
    pub theme: String,
    /// Code id; `None` on the theme's own row.
    pub code: Option<String>,
    /// Theme or code label.
    pub label: String,
    /// The code's origin; `None` on theme rows.
    pub origin: Option<Origin>,
    /// One cell per group, in [`Matrix::groups`] order.
    pub cells: Vec<Cell>,
    /// All participants together.
    pub total: Cell,
    /// 1 for a code, 2 for its sub-code, and so on; 0 for a theme.
    pub depth: usize,
}

/// The theme > code × group table.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    /// The breakdown attributes, e.g. `["level", "sector"]`.
    pub breakdown: Vec<String>,
    /// The groups, sorted by their values.
    pub groups: Vec<Group>,
    /// Theme rows, each followed by its codes' rows, in codebook order.
    pub rows: Vec<Row>,
}

/// Builds the matrix. Every participant in `attributes` counts in its
/// group's size, coded or not; `by` names the breakdown attributes.
pub fn matrix(
    tally: &Tally,
    attributes: &BTreeMap<String, Attributes>,
    by: &[String],
    codebook: &Codebook,
) -> Matrix {
    let (members, all) = membership(tally, attributes, by);
    let groups: Vec<Group> = members
        .iter()
        .map(|(values, ids)| Group {
            values: values.clone(),
            size: ids.len() as u64,
        })
        .collect();
    // Each group's participants' tallies, looked up once rather than once
    // per row (a large corpus has tens of thousands of participants).
    let group_tallies: Vec<Vec<Option<&ParticipantTally>>> =
        members.values().map(|ids| resolve(tally, ids)).collect();
    let all_tallies = resolve(tally, &all);
    let row = |theme: &str,
               code: Option<(&str, Origin)>,
               label: &str,
               refs: &dyn Fn(&ParticipantTally) -> u64| Row {
        theme: theme.to_string(),
        code: code.map(|c| c.0.to_string()),
        label: label.to_string(),
        origin: code.map(|c| c.1),
        cells: group_tallies.iter().map(|t| cell_of(t, refs)).collect(),
        total: cell_of(&all_tallies, refs),
        depth: usize::from(code.is_some()),
    };
    let mut rows = Vec::new();
    for (ti, theme) in codebook.themes.iter().enumerate() {
        rows.push(row(&theme.id, None, &theme.label, &|p| {
            p.theme_refs.get(ti).copied().unwrap_or(0)
        }));
        for (ci, depth) in code_order(codebook, &theme.id) {
            let code = &codebook.codes[ci];
            let mut r = row(
                &theme.id,
                Some((&code.id, code.origin)),
                &code.label,
                &|p| p.code_refs.get(ci).copied().unwrap_or(0),
            );
            r.depth = depth;
            rows.push(r);
        }
    }
    Matrix {
        breakdown: by.to_vec(),
        groups,
        rows,
    }
}

/// The participants of each group, by the groups' values in sorted order
/// (none without a breakdown), and all participants. Everyone with
/// attributes counts, coded or not.
pub fn membership<'a>(
    tally: &'a Tally,
    attributes: &'a BTreeMap<String, Attributes>,
    by: &[String],
) -> (BTreeMap<Vec<String>, Vec<&'a str>>, Vec<&'a str>) {
    let group_of = |id: &str| -> Vec<String> {
        by.iter()
            .map(|a| {
                attributes
                    .get(id)
                    .and_then(|attrs| attrs.get(a))
                    .cloned()
                    .unwrap_or_else(|| MISSING.to_string())
            })
            .collect()
    };
    let ids: BTreeSet<&str> = attributes
        .keys()
        .map(String::as_str)
        .chain(tally.participants.keys().map(String::as_str))
        .collect();
    let mut members: BTreeMap<Vec<String>, Vec<&str>> = BTreeMap::new();
    if !by.is_empty() {
        for id in &ids {
            members.entry(group_of(id)).or_default().push(id);
        }
    }
    (members, ids.into_iter().collect())
}

/// The tallies of `ids` (`None` for a participant with none), to compute
/// many cells over the same group with [`cell_of`].
pub fn resolve<'a>(tally: &'a Tally, ids: &[&str]) -> Vec<Option<&'a ParticipantTally>> {
    ids.iter().map(|id| tally.participants.get(*id)).collect()
}

/// References and participants among resolved tallies, counting with
/// `refs`.
pub fn cell_of(
    tallies: &[Option<&ParticipantTally>],
    refs: &dyn Fn(&ParticipantTally) -> u64,
) -> Cell {
    let mut references = 0;
    let mut participants = 0;
    for n in tallies.iter().map(|t| t.map_or(0, refs)) {
        references += n;
        participants += u64::from(n > 0);
    }
    Cell::new(references, participants, tallies.len() as u64)
}

/// The codes of a theme, each followed by its sub-codes (depth first), the
/// predefined before the emergent, in file order, with their depth (1 for a
/// top-level code).
pub fn code_order(codebook: &Codebook, theme: &str) -> Vec<(usize, usize)> {
    fn visit(
        codebook: &Codebook,
        parent: Option<&str>,
        theme: &str,
        depth: usize,
        out: &mut Vec<(usize, usize)>,
    ) {
        // Predefined codes first, then emergent and learned ones, each in
        // file order.
        for origin in [Origin::Predefined, Origin::Emergent, Origin::Learned] {
            for (ci, code) in codebook.codes.iter().enumerate() {
                if code.theme == theme
                    && code.origin == origin
                    && code.parent.as_deref() == parent
                    && !out.iter().any(|(c, _)| *c == ci)
                {
                    out.push((ci, depth));
                    visit(codebook, Some(&code.id), theme, depth + 1, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    visit(codebook, None, theme, 1, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Codebook {
        Codebook::from_toml_str(
            "[[themes]]\nid = \"t\"\n[[codes]]\nid = \"a\"\ntheme = \"t\"\npatterns = [\"x\"]\n\
             [[codes]]\nid = \"b\"\ntheme = \"t\"\npatterns = [\"y\"]\n",
            "t.toml",
        )
        .unwrap()
    }

    fn coded(code_refs: [u64; 2], theme_refs: u64) -> Counts {
        Counts {
            segments: 10,
            coded_segments: 5,
            code_refs: code_refs.to_vec(),
            theme_refs: vec![theme_refs],
            ..Counts::default()
        }
    }

    fn attrs(level: Option<&str>) -> Attributes {
        level
            .map(|l| [("level".to_string(), l.to_string())].into())
            .unwrap_or_default()
    }

    #[test]
    fn participants_are_cases_not_sums_and_percent_uses_the_group_size() {
        let mut tally = Tally::default();
        // P1 has two files (a follow-up interview); both coded.
        tally.add("P1", &coded([2, 1], 2));
        tally.add("P1", &coded([1, 0], 1));
        tally.add("P2", &coded([0, 0], 0));
        tally.add("P3", &coded([0, 4], 3));
        let attributes: BTreeMap<String, Attributes> = [
            ("P1".to_string(), attrs(Some("strategic"))),
            ("P2".to_string(), attrs(Some("strategic"))),
            ("P3".to_string(), attrs(None)),
        ]
        .into();
        let m = matrix(&tally, &attributes, &["level".to_string()], &book());
        let labels: Vec<String> = m.groups.iter().map(Group::label).collect();
        assert_eq!(labels, ["(missing)", "strategic"]);
        let theme = &m.rows[0];
        assert_eq!(theme.code, None);
        assert_eq!(theme.cells[1], Cell::new(3, 1, 2));
        assert_eq!(theme.cells[1].percent, 50.0);
        assert_eq!(theme.total, Cell::new(6, 2, 3));
        let code_a = &m.rows[1];
        assert_eq!(code_a.code.as_deref(), Some("a"));
        assert_eq!(code_a.cells[1], Cell::new(3, 1, 2));
        assert_eq!(code_a.cells[0], Cell::new(0, 0, 1));
    }
}

/// Co-occurrence of labels (themes or codes) over segments.
#[derive(Debug, Clone, PartialEq)]
pub struct Cooccurrence {
    /// Segments with each label.
    pub totals: Vec<u64>,
    /// Segments with both labels, `both[a][b]` (symmetric; the diagonal is
    /// `totals`).
    pub both: Vec<Vec<u64>>,
}

impl Cooccurrence {
    /// Counts, from the set of labels of each segment (labels are indexes
    /// below `n`; duplicates within a segment count once).
    pub fn new(segments: impl IntoIterator<Item = Vec<usize>>, n: usize) -> Cooccurrence {
        let mut both = vec![vec![0; n]; n];
        for mut labels in segments {
            labels.sort_unstable();
            labels.dedup();
            for (i, &a) in labels.iter().enumerate() {
                for &b in &labels[i..] {
                    both[a][b] += 1;
                    if a != b {
                        both[b][a] += 1;
                    }
                }
            }
        }
        let totals = (0..n).map(|i| both[i][i]).collect();
        Cooccurrence { totals, both }
    }

    /// The co-occurrence coefficient ATLAS.ti reports,
    /// c = n12 / (n1 + n2 − n12): 0 when never together, 1 when always.
    ///
    /// ```
    /// let c = mint::tally::Cooccurrence::new([vec![0, 1], vec![0], vec![1], vec![0, 1]], 2);
    /// assert_eq!(c.both[0][1], 2);
    /// assert!((c.coefficient(0, 1) - 0.5).abs() < 1e-12); // 2 / (3 + 3 - 2)
    /// ```
    pub fn coefficient(&self, a: usize, b: usize) -> f64 {
        let union = self.totals[a] + self.totals[b] - self.both[a][b];
        if union == 0 {
            0.0
        } else {
            self.both[a][b] as f64 / union as f64
        }
    }
}
