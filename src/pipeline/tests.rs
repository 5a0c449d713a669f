use super::*;

/// A pipeline over `paths` with no sheet and no cache.
fn plain<'a>(paths: &'a [PathBuf], filter: &'a Filter, options: &'a ReadOptions) -> Pipeline<'a> {
    Pipeline {
        paths,
        filter,
        options,
        sheet: None,
        cache: None,
        stream: None,
    }
}

/// A folder with, in path order: a good transcript, an empty file, a
/// transcript whose front matter never closes, a second good one, and
/// a file that is not a transcript.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &[u8]| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "a.txt",
        b"---\nlevel: strategic\n---\nI: Why?\nP: Because.\n",
    );
    write("b.txt", b"");
    write("c.txt", b"---\nlevel: x\nI: never closed\n");
    write("d.txt", b"I: And?\nQ7: More words.\n");
    write("e.pdf", b"%PDF");
    dir
}

fn run(dir: &tempfile::TempDir, threads: usize) -> (Vec<String>, Vec<Event>, CorpusInfo) {
    let paths = [dir.path().to_path_buf()];
    let (filter, options) = (Filter::default(), ReadOptions::default());
    let pipeline = plain(&paths, &filter, &options);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let mut events = Vec::new();
    let corpus = pool
        .install(|| pipeline.collect(|t| t.turns.len(), |e| events.push(e)))
        .unwrap();
    let files = corpus
        .files
        .iter()
        .map(|f| format!("{} {} {:?}", f.source.name, f.result, f.participants))
        .collect();
    (files, events, corpus.info)
}

#[test]
fn files_and_events_come_in_path_order_and_a_failure_is_kept() {
    let dir = folder();
    let (files, events, info) = run(&dir, 2);
    assert_eq!(files, ["a.txt 2 [\"a\"]", "d.txt 2 [\"d\"]"]);
    let shown: Vec<(Level, String)> = events
        .iter()
        .map(|e| {
            let text = e.to_string();
            let rel = text.replace(&format!("{}/", dir.path().display()), "");
            (e.level(), rel)
        })
        .collect();
    assert_eq!(
        shown,
        [
            (Level::Warning, "b.txt: skipped: empty file".to_string()),
            (
                Level::Error,
                "c.txt:1: front matter opened with `---` is never closed".to_string()
            ),
            (
                Level::Note,
                "skipped 2 files: 1 empty (b.txt), 1 in another format (e.pdf)".to_string()
            ),
        ]
    );
    assert!(info.failed);
    assert_eq!(info.participants["a"]["level"], "strategic");
}

// See: #15 (item 5)
#[test]
fn the_summary_counts_by_reason_and_names_the_first_few() {
    let mut summary = SkipSummary::default();
    for name in ["a.pdf", "b.pdf", "c.pdf", "d.pdf", "e.pdf"] {
        summary.add(SkipKind::OtherFormat, name);
    }
    summary.add(SkipKind::NotTranscript, "README.md");
    summary.add(SkipKind::of_reason("empty file"), "x.txt");
    assert_eq!(
        summary.to_string(),
        "skipped 7 files: 1 not a transcript by name (README.md), 1 empty (x.txt), \
         5 in other formats (a.pdf, b.pdf, c.pdf and 2 more)"
    );
}

#[test]
fn the_thread_count_changes_nothing() {
    let dir = folder();
    let (files1, events1, _) = run(&dir, 1);
    let (files2, events2, _) = run(&dir, 2);
    assert_eq!(files1, files2);
    assert_eq!(events1, events2);
}

#[test]
fn a_folder_without_transcripts_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.pdf"), b"%PDF").unwrap();
    let paths = [dir.path().to_path_buf()];
    let (filter, options) = (Filter::default(), ReadOptions::default());
    let pipeline = plain(&paths, &filter, &options);
    let err = pipeline.collect(|_| (), |_| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "no transcripts (.txt, .md) found in {}",
            dir.path().display()
        )
    );
}
