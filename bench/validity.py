#!/usr/bin/env python3
"""The Markdown report of bench/validity.sh (issue 16, item 3): how often the default codebook
codes real text that is off its topic, and its recall where the human category has a counterpart.

Standard library only.  Usage (the shell script runs it):

    validity.py NHS_COMMENTS_CSV NHS_CODINGS NHS_STDERR NHS_RULES
                SERDIF_TURN_CODINGS SERDIF_TURN_STDERR SERDIF_TURN_RULES
                SERDIF_SENTENCE_CODINGS SERDIF_SENTENCE_STDERR SERDIF_SENTENCE_RULES

CODINGS is mint's --codings CSV, STDERR its stderr (the summary line), RULES its --rules CSV (for
NHS with --by code, so that the patterns can be counted on the off-topic comments alone).  The
arguments of a set given as `-` mean that set was not run (its data is absent).
"""

import collections
import csv
import re
import sys

# The NHS FFT codes with a counterpart among the six themes (issue 16, item 3), each with the
# theme that counts as the counterpart for recall, and a second reading reported beside it.
#   ti tt tx tc  joined-up care -> organisation: the words a patient uses for it (discharge,
#                handover, hospital to home, transfer) are the default codebook's
#                organisation/acute_community code; vision's "seamless, person-centred care" is
#                talk about integration as a policy, which patients rarely write.  The share coded
#                vision is shown beside it.
#   xf ap        organisation (funding; provision of services), as the issue groups them.
#   sp           professional_boundaries (professionalism/competence of staff).
#   sl           hr_it (workforce), as the issue groups it; but the codebook puts staffing levels
#                and caseloads in day_to_day_delivery, so that share is shown beside it.
#   mi           hr_it (information).
#   wa wb cc co  day_to_day_delivery.
#   cl           measuring_impact.
COUNTERPART = {
    "ti": ("joined-up care", "organisation", "vision"),
    "tt": ("joined-up care", "organisation", "vision"),
    "tx": ("joined-up care", "organisation", "vision"),
    "tc": ("joined-up care", "organisation", "vision"),
    "xf": ("organisation", "organisation", None),
    "ap": ("organisation", "organisation", None),
    "sp": ("professional", "professional_boundaries", None),
    "sl": ("workforce", "hr_it", "day_to_day_delivery"),
    "mi": ("information", "hr_it", None),
    "wa": ("delivery", "day_to_day_delivery", None),
    "wb": ("delivery", "day_to_day_delivery", None),
    "cc": ("delivery", "day_to_day_delivery", None),
    "co": ("delivery", "day_to_day_delivery", None),
    "cl": ("impact", "measuring_impact", None),
}

TOP = 15


def pct(n, d):
    return f"{100 * n / d:.1f}%" if d else "n/a"


def read_csv(path):
    """Rows as dicts; where a header repeats, its first column wins. mint before #15 wrote an
    attribute named like one of its own columns (the comments' `code`) as a second column of
    that name, so the first one is mint's."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows, [])
        first = {}
        for i, name in enumerate(header):
            first.setdefault(name, i)
        return [{name: row[i] for name, i in first.items() if i < len(row)} for row in rows]


def summary(path):
    """(coded, total, unit) from mint's summary line on stderr."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"(\d+) of (\d+) participant (\w+) coded", text)
    if not m:
        sys.exit(f"validity.py: no summary line in {path}")
    return int(m[1]), int(m[2]), m[3]


def words(path):
    """The participants' words from mint's summary line."""
    with open(path, encoding="utf-8") as f:
        m = re.search(r"(\d+) words by participants", f.read())
    return int(m[1]) if m else "?"


def segments(rows, key):
    """Segment key -> {"themes": set, "codes": {theme/code: pattern}} from codings rows."""
    seg = collections.defaultdict(lambda: {"themes": set(), "codes": {}})
    for r in rows:
        s = seg[key(r)]
        s["themes"].add(r["theme"])
        s["codes"].setdefault(f"{r['theme']}/{r['code']}", r["pattern"])
    return seg


def mean_themes(segs):
    return sum(len(s["themes"]) for s in segs) / len(segs) if segs else 0.0


def rules(path, groups=None):
    """theme/code -> Counter(pattern -> segments it matched in, for the codes that applied) from a
    --rules CSV, summed over the `groups` columns (None: the total)."""
    fired = collections.defaultdict(collections.Counter)
    for r in read_csv(path):
        if groups is None:
            n = int(r["total: references"])
        else:
            n = sum(int(r.get(f"{g}: references", 0) or 0) for g in groups)
        if n:
            fired[f"{r['theme']}/{r['code']}"][r["pattern"]] += n
    return fired


def cell(pattern):
    """A pattern as a Markdown table cell: `|` escaped, a long regex shortened."""
    if len(pattern) > 60:
        pattern = pattern[:57] + "..."
    return "`" + pattern.replace("|", "\\|") + "`"


def code_table(segs, total, what, fired):
    """The TOP mint codes by segments coded, each with the pattern that fired in most of them."""
    count = collections.Counter()
    for s in segs:
        for code in s["codes"]:
            count[code] += 1
    out = [
        f"| mint code (theme/code) | {what} coded | share of all {what} | "
        "pattern that fired most (segments) |",
        "|---|---:|---:|---|",
    ]
    for code, n in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]:
        pattern, k = sorted(fired[code].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        out.append(f"| `{code}` | {n} | {pct(n, total)} | {cell(pattern)} ({k}) |")
    if len(count) > TOP:
        out.append(f"| ({len(count) - TOP} more codes) | | | |")
    return out


def nhs(comments_csv, codings_csv, stderr, rules_csv):
    comments = read_csv(comments_csv)
    human = {r["row_index"]: r["code"].strip() for r in comments}
    coded, total, unit = summary(stderr)
    assert total == len(comments), f"mint read {total} {unit}, the CSV has {len(comments)} rows"
    seg = segments(read_csv(codings_csv), key=lambda r: r["participant"])
    unknown = set(seg) - set(human)
    assert not unknown, f"codings for ids not in the CSV: {sorted(unknown)[:5]}"

    off = [i for i, c in human.items() if c not in COUNTERPART]
    on = [i for i, c in human.items() if c in COUNTERPART]
    off_coded = [seg[i] for i in off if i in seg]
    on_coded = [seg[i] for i in on if i in seg]

    out = ["### NHS Friends and Family Test comments (`nhs-fft-phase1/comments.csv`)", ""]
    out.append(
        f"{total} comments, one segment each; mint coded {coded} of them ({pct(coded, total)}). "
        f"Off-topic (human code without a counterpart among the six themes): **{len(off)}**; "
        f"on-topic: {len(on)}."
    )
    out.append("")
    out.append(
        f"- **Off-topic comments coded: {len(off_coded)} of {len(off)} "
        f"({pct(len(off_coded), len(off))})**; themes per coded off-topic comment: "
        f"**{mean_themes(off_coded):.2f}** (codes: "
        f"{sum(len(s['codes']) for s in off_coded) / max(len(off_coded), 1):.2f})."
    )
    out.append(
        f"- On-topic comments coded with any theme: {len(on_coded)} of {len(on)} "
        f"({pct(len(on_coded), len(on))}); themes per coded on-topic comment: "
        f"{mean_themes(on_coded):.2f}."
    )
    out.append("")
    out.append(f"Off-topic comments by mint code (top {TOP}):")
    out.append("")
    fired = rules(rules_csv, groups=sorted({human[i] for i in off}))
    out += code_table(off_coded, len(off), "off-topic comments", fired)
    out.append("")

    out.append("Off-topic comments by human code (share of that code's comments coded by mint):")
    out.append("")
    out.append("| human code | subcategory | comments | coded | share | themes per coded |")
    out.append("|---|---|---:|---:|---:|---:|")
    sub = {r["code"].strip(): r["subcategory"].strip() for r in comments}
    by_human = collections.defaultdict(list)
    for i in off:
        by_human[human[i]].append(i)
    for c, ids in sorted(by_human.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        cs = [seg[i] for i in ids if i in seg]
        out.append(
            f"| `{c}` | {sub[c]} | {len(ids)} | {len(cs)} | {pct(len(cs), len(ids))} "
            f"| {mean_themes(cs):.2f} |"
        )
    out.append("")

    out.append(
        "Recall on the on-topic comments: the share coded with the counterpart theme "
        "(and, where the counterpart is debatable, with the other reading):"
    )
    out.append("")
    out.append(
        "| human codes | counterpart | comments | with the counterpart | recall "
        "| other reading | with it | any theme |"
    )
    out.append("|---|---|---:|---:|---:|---|---:|---:|")
    groups = collections.OrderedDict()
    for c, (group, theme, other) in COUNTERPART.items():
        groups.setdefault((group, theme, other), []).append(c)
    hit_all = n_all = 0
    for (group, theme, other), codes in groups.items():
        ids = [i for i in on if human[i] in codes]
        hit = sum(1 for i in ids if i in seg and theme in seg[i]["themes"])
        anyt = sum(1 for i in ids if i in seg)
        hit_all += hit
        n_all += len(ids)
        if other:
            o = sum(1 for i in ids if i in seg and other in seg[i]["themes"])
            other_cells = f"`{other}` | {o} ({pct(o, len(ids))})"
        else:
            other_cells = "| "
        out.append(
            f"| {' '.join(codes)} ({group}) | `{theme}` | {len(ids)} | {hit} | "
            f"{pct(hit, len(ids))} | {other_cells} | {pct(anyt, len(ids))} |"
        )
    out.append(f"| **all** | | {n_all} | {hit_all} | **{pct(hit_all, n_all)}** | | | |")
    out.append("")
    return out


def serdif(turn_codings, turn_stderr, turn_rules, sentence_codings, sentence_stderr, sentence_rules):
    out = ["### SERDIF think-aloud sessions (`serdif-thinkaloud/transcripts`, 17 `.odt`)", ""]
    key = lambda r: (r["file"], r["participant"], r["turn"], r["start"], r["end"])  # noqa: E731
    coded, total, unit = summary(turn_stderr)
    seg = segments(read_csv(turn_codings), key)
    assert len(seg) == coded, f"{len(seg)} coded segments in the codings, {coded} in the summary"
    segs = list(seg.values())
    scoded, stotal, sunit = summary(sentence_stderr)
    sseg = list(segments(read_csv(sentence_codings), key).values())
    assert len(sseg) == scoded
    out.append(
        "Every participant segment is off-topic (researchers trying a data tool). The "
        "transcripts have no per-line participant label, so a participant turn is long "
        f"(the {total} turns hold {words(turn_stderr)} words); the sentence unit is shown beside it."
    )
    out.append("")
    out.append(
        f"- **Participant turns coded: {coded} of {total} ({pct(coded, total)})**; themes per "
        f"coded turn: **{mean_themes(segs):.2f}** (codes: "
        f"{sum(len(s['codes']) for s in segs) / max(len(segs), 1):.2f})."
    )
    out.append(
        f"- With `--unit sentence`: {scoded} of {stotal} participant {sunit} coded "
        f"({pct(scoded, stotal)}); themes per coded sentence: {mean_themes(sseg):.2f}."
    )
    out.append("")
    out.append(f"Turns by mint code (top {TOP}):")
    out.append("")
    out += code_table(segs, total, "turns", rules(turn_rules))
    out.append("")
    out.append(f"Sentences by mint code (top {TOP}):")
    out.append("")
    out += code_table(sseg, stotal, "sentences", rules(sentence_rules))
    out.append("")
    return out


def main(argv):
    if len(argv) != 11:
        sys.exit(__doc__)
    lines = []
    if argv[1] != "-":
        lines += nhs(*argv[1:5])
    if argv[5] != "-":
        lines += serdif(*argv[5:11])
    print("\n".join(lines).rstrip())


if __name__ == "__main__":
    main(sys.argv)
