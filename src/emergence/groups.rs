//! Where a candidate is over-represented: the groups of participants (an
//! attribute's value, `level=strategic`) in whose segments it is said
//! more often than in the study as a whole.
//!
//! The rule: a candidate's share of a group's segments is at least
//! [`MIN_GROUP_LIFT`] times its share of all segments, with at least
//! [`MIN_GROUP_SEGMENTS`] of its segments in the group, from at least
//! [`MIN_GROUP_PARTICIPANTS`] of the group's participants.
//!
//! Not here: reading attributes (the binary hands them over) or the
//! support per combination of `--by` values (the binary counts that).

use std::collections::{BTreeMap, BTreeSet};

use super::Input;

/// A group needs at least this many of the candidate's segments...
pub const MIN_GROUP_SEGMENTS: usize = 3;

/// ...from at least this many of its participants...
pub const MIN_GROUP_PARTICIPANTS: usize = 2;

/// ...and the candidate's share of the group's segments must be at least
/// this many times its share of all segments.
pub const MIN_GROUP_LIFT: f64 = 1.5;

/// A group in which a candidate is over-represented.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupShare {
    /// The attribute (`level`).
    pub attribute: String,
    /// Its value (`strategic`).
    pub value: String,
    /// The candidate's segments in the group.
    pub segments: usize,
    /// All participant segments of the group.
    pub group_segments: usize,
    /// The group's participants who say it.
    pub participants: usize,
    /// `segments / group_segments`.
    pub share_in_group: f64,
    /// The candidate's segments over all segments.
    pub share_overall: f64,
}

impl GroupShare {
    /// `share_in_group / share_overall`.
    pub fn lift(&self) -> f64 {
        if self.share_overall > 0.0 {
            self.share_in_group / self.share_overall
        } else {
            0.0
        }
    }
}

/// The groups where the segments `segs` (indexes into
/// [`Input::segments`]) are over-represented, most over-represented first
/// (ties by attribute, then value). `attributes` holds, for each
/// attribute, its value for each participant (by index; `None`: the
/// participant has none, and is in no group of it).
pub fn over_represented(
    input: &Input,
    segs: &[usize],
    attributes: &[(String, Vec<Option<String>>)],
) -> Vec<GroupShare> {
    let total = input.segments.len();
    if total == 0 || segs.is_empty() {
        return Vec::new();
    }
    let share_overall = segs.len() as f64 / total as f64;
    let mut out = Vec::new();
    for (name, values) in attributes {
        let value_of = |p: u32| values.get(p as usize).and_then(|v| v.as_deref());
        let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
        for seg in &input.segments {
            if let Some(v) = value_of(seg.participant) {
                *sizes.entry(v).or_default() += 1;
            }
        }
        let mut mine: BTreeMap<&str, (usize, BTreeSet<u32>)> = BTreeMap::new();
        for &s in segs {
            let p = input.segments[s].participant;
            if let Some(v) = value_of(p) {
                let e = mine.entry(v).or_default();
                e.0 += 1;
                e.1.insert(p);
            }
        }
        for (value, (n, who)) in mine {
            let size = sizes[value];
            let share_in_group = n as f64 / size as f64;
            if n >= MIN_GROUP_SEGMENTS
                && who.len() >= MIN_GROUP_PARTICIPANTS
                && share_in_group >= MIN_GROUP_LIFT * share_overall
            {
                out.push(GroupShare {
                    attribute: name.clone(),
                    value: value.to_string(),
                    segments: n,
                    group_segments: size,
                    participants: who.len(),
                    share_in_group,
                    share_overall,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        b.lift()
            .total_cmp(&a.lift())
            .then_with(|| a.attribute.cmp(&b.attribute))
            .then_with(|| a.value.cmp(&b.value))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emergence::Segment;

    #[test]
    fn a_group_saying_it_more_than_the_study_is_over_represented() {
        // Participants 0 and 1 are strategic, 2 and 3 operational; each
        // has 5 segments. The candidate is in 4 strategic segments (of
        // both strategic participants) and 1 operational one.
        let segments: Vec<Segment> = (0..20)
            .map(|i| Segment {
                text: "",
                participant: i / 5,
                context: i,
                themes: Vec::new(),
            })
            .collect();
        let input = Input {
            segments,
            participants: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        };
        let level: Vec<Option<String>> = ["strategic", "strategic", "operational", "operational"]
            .iter()
            .map(|v| Some(v.to_string()))
            .collect();
        let found = over_represented(&input, &[0, 1, 5, 6, 12], &[("level".into(), level)]);
        assert_eq!(found.len(), 1);
        let g = &found[0];
        assert_eq!(
            (g.attribute.as_str(), g.value.as_str()),
            ("level", "strategic")
        );
        assert_eq!((g.segments, g.group_segments, g.participants), (4, 10, 2));
        assert!((g.share_in_group - 0.4).abs() < 1e-12);
        assert!((g.share_overall - 0.25).abs() < 1e-12);
        // Said by one strategic participant only: not a group's topic.
        assert!(
            over_represented(
                &input,
                &[0, 1, 2, 12],
                &[(
                    "level".into(),
                    vec![
                        Some("strategic".into()),
                        Some("strategic".into()),
                        Some("operational".into()),
                        Some("operational".into()),
                    ]
                )]
            )
            .is_empty()
        );
    }
}
