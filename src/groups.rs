//! Groups of participants: the study-sample table ([`sample`]), which
//! attributes break the counts down
//! ([`breakdown`]), and how a theme's or code's mentions compare across the
//! groups of each attribute ([`compare_groups`], with the test
//! [`crate::stats`] picks).
//!
//! Pure: it returns what to warn about instead of printing it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::attributes::Attributes;
use crate::codebook::Codebook;
use crate::stats;
use crate::suggest::Hint;
use crate::tally::{self, MISSING, Tally};

/// The attributes the counts are broken down by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    /// The attributes, in order.
    pub by: Vec<String>,
    /// For each attribute some participants lack: who.
    pub missing: Vec<Missing>,
}

/// Participants without one of the breakdown attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The attribute.
    pub attribute: String,
    /// The participants without it.
    pub participants: Vec<String>,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.participants.len();
        write!(
            f,
            "{n} participant{} without {:?}, shown as {}: {}",
            if n == 1 { "" } else { "s" },
            self.attribute,
            tally::MISSING,
            self.participants.join(", ")
        )
    }
}

/// An attribute asked for that no participant has (a typo, most often).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no participant has the attribute {attribute:?}{hint}")]
pub struct UnknownAttribute {
    /// The attribute asked for.
    pub attribute: String,
    /// The nearest attribute participants have, and all of them.
    pub hint: Hint,
}

/// Checks that some participant has `attribute`.
pub fn check_attribute(
    attribute: &str,
    participants: &BTreeMap<String, Attributes>,
) -> Result<(), UnknownAttribute> {
    if participants.values().any(|a| a.contains_key(attribute)) {
        return Ok(());
    }
    let known: BTreeSet<&str> = participants
        .values()
        .flat_map(|a| a.keys())
        .map(String::as_str)
        .collect();
    Err(UnknownAttribute {
        attribute: attribute.to_string(),
        hint: Hint::new(attribute, known),
    })
}

/// The breakdown attributes: those asked for (`raw`, as typed: trimmed and
/// lower-cased; one empty value asks for none), else `level` and `sector`,
/// those of them that any participant has. An attribute asked for that no
/// participant has is an error.
pub fn breakdown(
    raw: &[String],
    participants: &BTreeMap<String, Attributes>,
) -> Result<Breakdown, UnknownAttribute> {
    let requested: Vec<String> = raw
        .iter()
        .map(|a| a.trim().to_lowercase())
        .filter(|a| !a.is_empty())
        .collect();
    // `--by ''` asks for no breakdown at all.
    let by = if !raw.is_empty() && requested.is_empty() {
        Vec::new()
    } else if requested.is_empty() {
        ["level", "sector"]
            .into_iter()
            .filter(|a| participants.values().any(|attrs| attrs.contains_key(*a)))
            .map(String::from)
            .collect()
    } else {
        for attribute in &requested {
            check_attribute(attribute, participants)?;
        }
        requested
    };
    let missing = by
        .iter()
        .filter_map(|attr| {
            let ids: Vec<String> = participants
                .iter()
                .filter(|(_, attrs)| !attrs.contains_key(attr))
                .map(|(id, _)| id.clone())
                .collect();
            (!ids.is_empty()).then(|| Missing {
                attribute: attr.clone(),
                participants: ids,
            })
        })
        .collect();
    Ok(Breakdown { by, missing })
}

/// What to count for a participant: a theme's or a code's references.
type CountFn = Box<dyn Fn(&tally::ParticipantTally) -> u64>;

/// One theme compared across the groups of one attribute.
#[derive(Debug, Serialize)]
pub struct GroupTest {
    /// The theme id.
    pub theme: String,
    /// The code id, for a code's row.
    pub code: Option<String>,
    /// The attribute whose groups are compared.
    pub attribute: String,
    /// Each group's counts.
    pub groups: Vec<GroupCount>,
    /// The test's name.
    pub test: &'static str,
    /// The test statistic, rounded to 3 decimals.
    pub statistic: Option<f64>,
    /// Degrees of freedom.
    pub df: Option<u64>,
    /// The p-value, rounded to 4 decimals.
    pub p: Option<f64>,
    /// The p-value corrected for the number of tests run (every test of
    /// the call with a p-value is one family), rounded to 4 decimals.
    pub p_adjusted: Option<f64>,
}

/// How many of `tests` were run (those with a p-value): the family size of
/// the correction.
pub fn tests_run(tests: &[GroupTest]) -> usize {
    tests.iter().filter(|t| t.p.is_some()).count()
}

/// One group of a [`GroupTest`].
#[derive(Debug, Serialize)]
pub struct GroupCount {
    /// The group's values, joined by ` / `.
    pub value: String,
    /// Participants in the group with at least one reference.
    pub mentioning: u64,
    /// The group's size.
    pub size: u64,
}

/// For each breakdown attribute, theme and code: participants mentioning it
/// or not, in each of the attribute's groups, and the test
/// [`stats::compare`] picks for that table; every p-value then corrected
/// with `correction` over all the tests run ([`tests_run`]).
pub fn compare_groups(
    tally: &Tally,
    participants: &BTreeMap<String, Attributes>,
    by: &[String],
    codebook: &Codebook,
    correction: stats::Correction,
) -> Vec<GroupTest> {
    let mut out = Vec::new();
    let mut raw: Vec<(usize, f64)> = Vec::new();
    for attribute in by {
        let (members, _) = tally::membership(tally, participants, std::slice::from_ref(attribute));
        let mut rows: Vec<(String, Option<String>, CountFn)> = Vec::new();
        for (ti, theme) in codebook.themes.iter().enumerate() {
            rows.push((
                theme.id.clone(),
                None,
                Box::new(move |p| p.theme_refs.get(ti).copied().unwrap_or(0)),
            ));
            for (ci, _) in tally::code_order(codebook, &theme.id) {
                let code = Some(codebook.codes[ci].id.clone());
                rows.push((
                    theme.id.clone(),
                    code,
                    Box::new(move |p| p.code_refs.get(ci).copied().unwrap_or(0)),
                ));
            }
        }
        let resolved: Vec<_> = members
            .values()
            .map(|ids| tally::resolve(tally, ids))
            .collect();
        for (theme, code, refs) in rows {
            let groups: Vec<GroupCount> = members
                .keys()
                .zip(&resolved)
                .map(|(values, tallies)| {
                    let cell = tally::cell_of(tallies, &*refs);
                    GroupCount {
                        value: values.join(" / "),
                        mentioning: cell.participants,
                        size: cell.group_size,
                    }
                })
                .collect();
            let table: Vec<Vec<u64>> = groups
                .iter()
                .map(|g| vec![g.mentioning, g.size - g.mentioning])
                .collect();
            let result = stats::compare(&table);
            if let Some(p) = result.p {
                raw.push((out.len(), p));
            }
            out.push(GroupTest {
                theme,
                code,
                attribute: attribute.clone(),
                groups,
                test: result.test.name(),
                statistic: result.statistic.map(|x| round(x, 3)),
                df: result.df,
                p: result.p.map(|x| round(x, 4)),
                p_adjusted: None,
            });
        }
    }
    let p: Vec<f64> = raw.iter().map(|(_, p)| *p).collect();
    for ((i, _), adjusted) in raw.iter().zip(correction.adjust(&p)) {
        out[*i].p_adjusted = Some(round(adjusted, 4));
    }
    out
}

/// `x` rounded to `d` decimals.
fn round(x: f64, d: i32) -> f64 {
    (x * 10f64.powi(d)).round() / 10f64.powi(d)
}

/// The sample table: one row per combination of row values.
#[derive(Debug, Serialize)]
pub struct Sample {
    /// The row attributes.
    pub rows_by: Vec<String>,
    /// The column attribute.
    pub columns_by: String,
    /// The column attribute's values.
    pub columns: Vec<String>,
    /// One row per combination of row values.
    pub rows: Vec<SampleRow>,
    /// The totals row.
    pub total: SampleRow,
}

/// A row of the sample table.
#[derive(Debug, Serialize)]
pub struct SampleRow {
    /// The row attributes' values.
    pub values: Vec<String>,
    /// Participants per column value.
    pub counts: Vec<u64>,
    /// Participants in the row.
    pub total: u64,
}

/// The sample table: participants counted by the `rows_by` attributes
/// (rows) and the `cols_by` attribute (columns), with totals.
pub fn sample(
    participants: &BTreeMap<String, Attributes>,
    rows_by: &[String],
    cols_by: &str,
) -> Sample {
    let cols_by = cols_by.to_lowercase();
    let mut counts: BTreeMap<Vec<String>, BTreeMap<String, u64>> = BTreeMap::new();
    let mut columns = BTreeSet::new();
    for attrs in participants.values() {
        let key: Vec<String> = rows_by
            .iter()
            .enumerate()
            .map(|(i, a)| match attrs.get(a) {
                Some(v) => v.clone(),
                None if i == 0 => MISSING.to_string(),
                None => String::new(),
            })
            .collect();
        let col = attrs
            .get(&cols_by)
            .cloned()
            .unwrap_or_else(|| MISSING.to_string());
        columns.insert(col.clone());
        *counts.entry(key).or_default().entry(col).or_default() += 1;
    }
    let columns: Vec<String> = columns.into_iter().collect();
    let row = |values: Vec<String>, by_col: &BTreeMap<String, u64>| {
        let counts: Vec<u64> = columns
            .iter()
            .map(|c| by_col.get(c).copied().unwrap_or(0))
            .collect();
        let total = counts.iter().sum();
        SampleRow {
            values,
            counts,
            total,
        }
    };
    let mut all = BTreeMap::new();
    for by_col in counts.values() {
        for (c, n) in by_col {
            *all.entry(c.clone()).or_default() += n;
        }
    }

    Sample {
        rows: counts.iter().map(|(k, v)| row(k.clone(), v)).collect(),
        total: row(vec!["total".to_string()], &all),
        rows_by: rows_by.to_vec(),
        columns_by: cols_by,
        columns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people() -> BTreeMap<String, Attributes> {
        let person = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Attributes>()
        };
        BTreeMap::from([
            (
                "p1".into(),
                person(&[("level", "strategic"), ("sector", "health")]),
            ),
            ("p2".into(), person(&[("level", "operational")])),
        ])
    }

    #[test]
    fn breakdown_takes_known_attributes_and_names_who_lacks_one() {
        let b = breakdown(&["Sector".into()], &people()).unwrap();
        assert_eq!(b.by, ["sector"]);
        assert_eq!(b.missing[0].participants, ["p2"]);
        assert!(breakdown(&["".into()], &people()).unwrap().by.is_empty());
        assert_eq!(breakdown(&[], &people()).unwrap().by, ["level", "sector"]);
    }

    #[test]
    fn an_attribute_no_participant_has_is_an_error_with_a_suggestion() {
        let err = breakdown(&["levle".into()], &people()).unwrap_err();
        assert_eq!(err.hint.suggestion.as_deref(), Some("level"));
        assert_eq!(
            err.to_string(),
            "no participant has the attribute \"levle\"; did you mean \"level\"? (known: level, sector)"
        );
    }
}
