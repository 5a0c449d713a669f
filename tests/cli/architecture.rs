//! ARCHITECTURE.md's code map against the tree: every folder and top-level
//! module under `src/` has a row, and every row names something that exists.

use std::collections::BTreeSet;
use std::path::Path;

/// The first cell of each code-map row: `` `name.rs` `` or `` `name/` ``.
fn mapped(architecture: &str) -> BTreeSet<String> {
    architecture
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`').map(|(name, _)| name.to_string()))
        .collect()
}

/// Each top-level `.rs` file and folder of `src/`, as the map names them.
fn in_tree(src: &Path) -> BTreeSet<String> {
    std::fs::read_dir(src)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().unwrap().is_dir() {
                format!("{name}/")
            } else {
                name
            }
        })
        .filter(|name| name.ends_with('/') || name.ends_with(".rs"))
        .collect()
}

#[test]
fn the_code_map_names_every_folder_and_module_of_src_and_nothing_else() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let map = mapped(&architecture);
    let tree = in_tree(&root.join("src"));
    let missing: Vec<&String> = tree.difference(&map).collect();
    let stale: Vec<&String> = map.difference(&tree).collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code map lacks {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "ARCHITECTURE.md's code map names {stale:?}, which src/ does not have"
    );
}

#[test]
fn the_map_reader_sees_rows_and_only_rows() {
    let text = "| module | owns |\n|---|---|\n| `a.rs` | x |\n| `b/` | y |\nprose `c.rs`\n";
    let names: Vec<String> = mapped(text).into_iter().collect();
    assert_eq!(names, ["a.rs", "b/"]);
}
