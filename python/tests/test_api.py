"""The Python API against the CLI: the same codebook, codings and tables."""

import io
import pickle
import threading
import time

import pandas as pd
import pytest

import mint
from conftest import EXAMPLES, REPO, run_mint

STUDY = EXAMPLES / "transcripts"
SHEET = EXAMPLES / "participants.csv"


def test_the_default_codebook_has_the_themes_and_codes_the_cli_shows():
    cb = mint.Codebook.default()
    shown = pd.read_csv(io.StringIO(run_mint("codebook", "show", "--format", "csv")[0]))
    assert cb.codes["id"].tolist() == shown["code"].tolist()
    assert cb.codes["theme"].tolist() == shown["theme"].tolist()
    assert cb.themes["id"].tolist() == list(dict.fromkeys(shown["theme"]))


def test_a_codebook_reads_like_codebook_show():
    cb = mint.Codebook.default()
    text = repr(cb)
    outline = run_mint("codebook", "show")[0]
    # The CLI's outline: each theme with its label and number of codes,
    # then one line per code with its number of patterns.
    assert text.splitlines()[0] == outline.splitlines()[0]
    assert text.splitlines()[0].startswith("vision: ")
    for theme in cb.themes["id"]:
        assert any(line.startswith(f"{theme}: ") for line in text.splitlines())
        assert any(line.startswith(f"{theme}: ") for line in outline.splitlines())
    for code in cb.codes["id"]:
        assert any(line.split()[:1] == [code] for line in text.splitlines()), code


def test_check_lists_what_codebook_check_finds(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[codebook]\nname = "t"\n[[themes]]\nid = "a"\nlabel = "A"\n'
        '[[codes]]\nid = "x"\ntheme = "a"\nlabel = "X"\npatterns = ["late"]\n'
        '[[codes]]\nid = "y"\ntheme = "a"\nlabel = "Y"\npatterns = ["late"]\n'
    )
    found = mint.Codebook.load(bad).check()
    cli, _, _ = run_mint("codebook", "check", bad, check=False)
    assert len(found) >= 1 and found["message"].iloc[0] in cli
    assert list(found.columns) == ["severity", "line", "column", "message"]
    assert (found["severity"] == "warning").any()


def test_a_codebook_error_has_the_message_the_cli_prints(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text('[codebook]\nname = "t"\n[[codes]]\nid = "x"\ntheme = "nowhere"\nlabel = "X"\npatterns = ["a"]\n')
    with pytest.raises(mint.CodebookError) as raised:
        mint.Codebook.load(bad)
    _, stderr, status = run_mint("code", STUDY, "--codebook", bad, check=False)
    assert status == 2
    assert stderr.strip() == f"mint: {raised.value}"
    assert isinstance(raised.value, mint.MintError)


def test_codings_are_the_long_layout_with_offsets_into_each_text():
    texts = pd.Series(
        ["The systems don't talk to each other.", "", "Leadership matters. We share records now."],
        index=["a", "b", "c"],
    )
    codings = mint.code(texts, unit="sentence")
    assert list(codings.columns) == mint.CODINGS_COLUMNS
    for column in ["code", "theme", "rule"]:
        assert isinstance(codings[column].dtype, pd.CategoricalDtype)
    assert list(codings["theme"].cat.categories) == mint.Codebook.default().themes["id"].tolist()
    for row in codings.itertuples():
        assert texts[row.id][row.start : row.end] == row.matched
    assert set(codings["id"]) <= {"a", "c"}
    assert codings.attrs["participants"].index.tolist() == ["a", "b", "c"]


def test_offsets_count_characters_not_bytes():
    codings = mint.code(["Café — naïve: the systems don't talk."])
    row = codings.iloc[0]
    assert "Café — naïve: the systems don't talk."[row.start : row.end] == row.matched


def test_a_bad_unit_or_length_is_a_usage_error():
    with pytest.raises(mint.UsageError, match="unit"):
        mint.code(["x"], unit="page")
    with pytest.raises(mint.UsageError, match="ids"):
        mint.code(["x", "y"], ids=["only one"])


def test_an_unknown_breakdown_attribute_says_what_the_cli_says(survey_csv, survey):
    codings = mint.code(survey["comment"], ids=survey["id"])
    with pytest.raises(mint.UsageError) as raised:
        mint.tally(codings, survey[["id", "group", "region"]], by=["grop"])
    _, stderr, status = run_mint(
        "code", survey_csv, "--text-column", "comment", "--id-column", "id", "--by", "grop", check=False
    )
    assert status == 2
    assert stderr.strip().endswith(str(raised.value))


@pytest.mark.parametrize("unit", ["turn", "sentence"])
def test_the_survey_table_equals_the_cli_cell_for_cell(survey_csv, survey, unit):
    cli = run_mint(
        "-q", "code", survey_csv, "--text-column", "comment", "--id-column", "id",
        "--by", "group,region", "--unit", unit, "--format", "csv",
    )[0]
    codings = mint.code(survey["comment"], unit=unit, ids=survey["id"])
    table = mint.Tally.of(codings, survey[["id", "group", "region"]])
    with pytest.warns(UserWarning, match="region"):
        assert table.to_csv(by=["group", "region"]) == cli
    frame = mint.tally(codings, survey[["id", "group", "region"]], by=["group", "region"])
    expected = pd.read_csv(io.StringIO(cli), keep_default_na=False, na_values=[])
    assert frame.astype(str).values.tolist() == expected.astype(str).values.tolist()
    assert list(frame.columns) == list(expected.columns)


def test_the_study_table_equals_the_cli_cell_for_cell():
    cli = run_mint("-q", "code", STUDY, "--attributes", SHEET, "--format", "csv")[0]
    codings = mint.code_dir(STUDY, attributes=SHEET)
    assert mint.Tally.of(codings).to_csv() == cli
    by_area = run_mint("-q", "code", STUDY, "--attributes", SHEET, "--by", "area,level", "--format", "csv")[0]
    assert mint.Tally.of(codings).to_csv(by=["area", "level"]) == by_area
    long = run_mint("-q", "code", STUDY, "--attributes", SHEET, "--matrix", "-", "--long", "--format", "csv")[0]
    assert long.startswith(mint.Tally.of(codings).to_csv(long=True))


def test_code_dir_codings_match_the_cli_codings_csv(tmp_path):
    out = tmp_path / "codings.csv"
    run_mint("-q", "code", STUDY, "--codings", out, "--unit", "paragraph")
    cli = pd.read_csv(out)
    ours = mint.code_dir(STUDY, unit="paragraph")
    assert len(ours) == len(cli)
    assert ours["code"].astype(str).tolist() == cli["code"].tolist()
    assert ours["matched"].tolist() == cli["matched"].tolist()
    assert ours["start"].tolist() == cli["match_start"].tolist()
    assert ours["turn"].tolist() == cli["turn"].tolist()


def test_a_tally_pickles_and_merges_like_mint_merge(survey):
    cb = mint.Codebook.default()
    parts = [survey.iloc[:3000], survey.iloc[3000:7001], survey.iloc[7001:]]
    partials = []
    for part in parts:
        codings = mint.code(part["comment"], cb, ids=part["id"])
        partials.append(pickle.loads(pickle.dumps(mint.Tally.of(codings, part[["id", "group"]]))))
    whole = mint.Tally.of(mint.code(survey["comment"], cb, ids=survey["id"]), survey[["id", "group"]])
    assert mint.merge(partials).to_csv(by=["group"]) == whole.to_csv(by=["group"])


def test_tallies_of_different_codebooks_do_not_merge(tmp_path):
    other = tmp_path / "other.toml"
    other.write_text('[codebook]\nname = "other"\n[[themes]]\nid = "a"\nlabel = "A"\n'
                     '[[codes]]\nid = "x"\ntheme = "a"\nlabel = "X"\npatterns = ["late"]\n')
    a = mint.Tally.of(mint.code(["late again"]))
    b = mint.Tally.of(mint.code(["late again"], other))
    with pytest.raises(mint.MintError, match="different codebooks"):
        a.merge(b)


def test_a_codebook_pickles_whole():
    cb = mint.Codebook.default()
    again = pickle.loads(pickle.dumps(cb))
    assert again.codes.equals(cb.codes) and again.name == cb.name
    texts = ["The systems don't talk.", "We share records."]
    assert mint.code(texts, again).equals(mint.code(texts, cb))


def test_coding_releases_the_gil():
    # One call long enough (0.3 s or more) for the loop below to tick often.
    texts = ["The systems don't talk to each other, so we share records by phone. " * 40] * 25
    while True:
        started = time.perf_counter()
        mint.code(texts)
        if time.perf_counter() - started >= 0.3:
            break
        texts = texts * 2
    ticks = 0
    done = threading.Event()

    def work():
        mint.code(texts)
        done.set()

    thread = threading.Thread(target=work)
    thread.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    thread.join()
    # With the GIL held through the one call this loop would stall.
    assert ticks > 20


def test_the_console_script_is_the_cli():
    out, _, status = run_mint("--version")
    assert status == 0 and out.startswith("mint ")
    _, err, status = run_mint("code", "--unit", "page", STUDY, check=False)
    assert status == 2 and "invalid value 'page'" in err


def test_merged_states_count_a_participant_in_two_partitions_once(survey):
    import mint.distributed as md

    cb = mint.Codebook.default()
    # 500 respondents, each with rows in every part: unions, not sums.
    who = [i % 500 for i in range(len(survey))]
    frame = survey.assign(id=[f"R{w:03d}" for w in who], group=["ABC"[w % 3] for w in who])
    parts = [frame.iloc[:3000], frame.iloc[3000:7001], frame.iloc[7001:]]
    states = []
    for part in parts:
        codings = mint.code(part["comment"], cb, ids=part["id"])
        states.append(mint.Tally.of(codings, part[["id", "group"]].drop_duplicates("id"))._inner.state_json())
    merged = md.merge_states(cb, states)
    whole = mint.Tally.of(mint.code(frame["comment"], cb, ids=frame["id"]),
                          frame[["id", "group"]].drop_duplicates("id"))
    assert merged.to_csv(by=["group"]) == whole.to_csv(by=["group"])
    assert len(merged.participants) == 500
