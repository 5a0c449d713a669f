//! The codebook as the writers walk it: themes in order, each with its
//! codes as a tree (sub-codes under their parent). Writing any format is
//! elsewhere (`qdc`, `csv`, `markdown`).

use crate::codebook::{Code, Codebook, Theme};
use crate::error::ExchangeError;

pub(super) struct ThemeTree<'a> {
    pub(super) theme: &'a Theme,
    pub(super) codes: Vec<Node<'a>>,
}

pub(super) struct Node<'a> {
    pub(super) code: &'a Code,
    pub(super) children: Vec<Node<'a>>,
}

/// Themes in order, each with its codes as a tree (file order among
/// siblings). Every code must be placed.
pub(super) fn tree(book: &Codebook) -> Result<Vec<ThemeTree<'_>>, ExchangeError> {
    let mut placed = vec![false; book.codes.len()];
    let themes = book
        .themes
        .iter()
        .map(|theme| ThemeTree {
            theme,
            codes: children(book, &theme.id, None, &mut placed),
        })
        .collect();
    match placed.iter().position(|p| !p) {
        Some(i) => Err(ExchangeError::Unplaced(book.codes[i].id.clone())),
        None => Ok(themes),
    }
}

pub(super) fn children<'a>(
    book: &'a Codebook,
    theme: &str,
    parent: Option<&str>,
    placed: &mut [bool],
) -> Vec<Node<'a>> {
    let mut out = Vec::new();
    for (i, code) in book.codes.iter().enumerate() {
        if placed[i] || code.theme != theme || code.parent.as_deref() != parent {
            continue;
        }
        placed[i] = true;
        let children = children(book, theme, Some(&code.id), placed);
        out.push(Node { code, children });
    }
    out
}

/// The codes of a tree in depth-first order, with their depth (0 = directly
/// under the theme).
pub(super) fn flatten<'a>(nodes: &'a [Node<'a>], depth: usize, out: &mut Vec<(usize, &'a Code)>) {
    for node in nodes {
        out.push((depth, node.code));
        flatten(&node.children, depth + 1, out);
    }
}
