#!/usr/bin/env python3
"""Writes the synthetic disclosure corpus of mint's scan tests (seeded).

Usage: make_corpus.py   (from this folder; rewrites corpus/, planted.csv, names.txt)

Every identifier is invented: numbers are random (NHS numbers with a valid
check digit, or a wrong one for the negatives), phone numbers come from the
ranges Ofcom keeps for drama (07700 900xxx, 020 7946 0xxx, 0113 496 0xxx,
0161 496 0xxx), names are common UK names. planted.csv lists each planted
identifier: file, line, col (1-based, in characters), kind, text. Sentences
in NEGATIVES hold times, money, years and wrong NHS numbers that must not be
flagged; planted.csv lists them with kind `none`.
"""
import csv
import random
from pathlib import Path

SEED = 22
rng = random.Random(SEED)

GIVEN = ["Sarah", "James", "Emma", "Mohammed", "Priya", "Olivia", "Jack", "Sophie",
         "Daniel", "Aisha", "Tom", "Lucy", "Chloe", "Ryan", "Megan", "Hannah", "Liam",
         "Amelia", "Oliver", "Jessica", "Harry", "Charlotte", "Ben", "Gemma", "Niamh",
         "Rhys", "Fatima", "Kevin", "Karen", "Susan", "Graham", "Paul", "Helen", "Claire"]
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
            "Davies", "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker",
            "Roberts", "Jackson", "Clarke", "Khan", "Hughes", "Edwards", "Okafor",
            "Kowalski", "Begum", "Murphy", "Campbell", "Stewart", "Ahmed", "Singh"]
TITLES = ["Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Professor", "Sister"]
STUDY = ["Ward 7", "Riverside Practice", "Elm Tree Surgery", "Holloway Ward",
         "Northgate", "the Beeches"]


def nhs(valid=True):
    while True:
        d = [rng.randint(0, 9) for _ in range(9)]
        s = sum(x * w for x, w in zip(d, range(10, 1, -1)))
        c = 11 - s % 11
        c = 0 if c == 11 else c
        if c == 10:
            continue
        if not valid:
            c = (c + rng.randint(1, 9)) % 10
        digits = "".join(map(str, d + [c]))
        form = rng.choice(["{0} {1} {2}", "{0}{1}{2}", "{0}-{1}-{2}", "{0} {1}\n{2}"])
        return form.format(digits[:3], digits[3:6], digits[6:])


def phone():
    n = rng.randint(0, 999)
    return rng.choice([
        f"07700 900{n:03d}", f"07700900{n:03d}", f"+44 7700 900{n:03d}", f"+447700900{n:03d}",
        f"020 7946 0{n:03d}", f"(020) 7946 0{n:03d}", f"+44 (0)20 7946 0{n:03d}",
        f"0113 496 0{n:03d}", f"0113-496-0{n:03d}", f"0161 496 0{n:03d}", f"07700\n900{n:03d}",
    ])


def email():
    g, s = rng.choice(GIVEN).lower(), rng.choice(SURNAMES).lower()
    return rng.choice([f"{g}.{s}@nhs.net", f"{g}{rng.randint(1, 99)}@example.com",
                       f"{g[0]}.{s}@example.org.uk", f"{g.upper()}.{s.upper()}@EXAMPLE.CO.UK"])


def postcode():
    out = rng.choice(["LS1", "M60", "B15", "SW1A", "EC1V", "NE4", "CF10", "G2", "BS8", "L69"])
    inw = f"{rng.randint(0, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    form = rng.choice(["{} {}", "{}{}", "{}  {}", "{} {}"])
    pc = form.format(out, inw)
    return pc.lower() if rng.random() < 0.15 else pc


def ni():
    a = rng.choice("ABCEGHJKLMNOPRSTWXYZ") + rng.choice("ABCEGHJKLMNPRSTWXYZ")
    if a in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
        a = "AB"
    d = [f"{rng.randint(0, 99):02d}" for _ in range(3)]
    return rng.choice(["{} {} {} {} {}", "{}{}{}{}{}"]).format(a, *d, rng.choice("ABCD"))


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def date():
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1930, 2023)
    mon = MONTHS[m - 1]
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(d, "th")
    return rng.choice([f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}", f"{d}.{m}.{str(y)[2:]}",
                       f"{d} {mon} {y}", f"{d}{suffix} of {mon} {y}", f"{mon} {d}, {y}",
                       f"{y}-{m:02d}-{d:02d}", f"{d} {mon[:3]} {y}"])


def url():
    return rng.choice(["https://www.example.org/clinic", "http://example.com/a?b=1",
                       "www.example.co.uk", "https://forms.example.net/s/abc123",
                       "www.ourward.example.org/news"])


def person():
    g, s = rng.choice(GIVEN), rng.choice(SURNAMES)
    form = rng.random()
    if form < 0.3:
        return "title", f"{rng.choice(TITLES)} {s}", s
    if form < 0.55:
        return "given", g, g
    if form < 0.8:
        return "full", f"{g} {s}", f"{g} {s}"
    return "possessive", f"{g}'s", g


# Templates: {X} is the identifier. Each has a kind of context.
SENTENCES = {
    "nhs_number": ["my NHS number is {X}, if you need it", "they wrote {X} on the form",
                   "(NHS no. {X}) was on the letter"],
    "phone": ["you can ring me on {X} any time", "the number was \"{X}\" I think",
              "call {X}, that's the ward line"],
    "email": ["email me at {X}.", "it went to {X} and nobody replied", "(it was {X})"],
    "postcode": ["we live at {X}, near the park", "the postcode is {X}.", "down in \"{X}\""],
    "ni_number": ["my NI number is {X}.", "National Insurance {X} on the payslip"],
    "date": ["I was born on {X} in the old hospital", "the date of birth, {X}, was wrong",
             "admitted on {X}."],
    "url": ["they told me to look at {X} for it", "see {X}.", "the link ({X}) did not work"],
    "study_list": ["I was on {X} for a week", "they sent me to {X} after that",
                   "the staff at {X} were lovely"],
    "person": ["I spoke to {X} about it", "and then {X} came round", "she said \"ask {X}\"",
               "we waited for {X} and nobody came", "my nurse, {X}, was kind"],
}
NEGATIVES = ["we met at 10:30 and again at 14.45", "it cost £1,250.00 in the end",
             "back in 1985 it was different", "the number 943 476 5918 was wrong",
             "about 24/7 care, 365 days a year", "we had 12,000 referrals",
             "it was 50% better", "version 2.1.3 of the app", "from 9 to 5 most days",
             "room 101 on level 3", "in March 2019 things changed", "£30 a week"]
FILLER = ["It was hard at first.", "Honestly, the care was good.", "We coped.",
          "Nobody explained the plan.", "The waiting was the worst part."]


def main():
    here = Path(__file__).resolve().parent
    corpus = here / "corpus"
    corpus.mkdir(exist_ok=True)
    for old in corpus.glob("*.txt"):
        old.unlink()
    planted = []
    kinds = list(SENTENCES) + ["person"] * 3
    for n in range(1, 25):
        name = f"t{n:02d}.txt"
        lines = []
        label_name = n % 6 == 0
        participant = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}" if label_name else "Participant"
        lines.append("Interviewer: Can you tell me about your care?")
        if label_name:
            planted.append((name, 3, 1, "speaker", participant))
        for _ in range(12):
            text = ""
            for _ in range(rng.randint(1, 2)):
                kind = rng.choice(kinds)
                tmpl = rng.choice(SENTENCES[kind])
                sub = kind
                if kind == "person":
                    sub_form, shown, core = person()
                    value, target = shown, core
                elif kind == "study_list":
                    value = rng.choice(STUDY)
                    target = value.removeprefix("the ")
                else:
                    value = {"nhs_number": nhs, "phone": phone, "email": email,
                             "postcode": postcode, "ni_number": ni, "date": date,
                             "url": url}[kind]()
                    target = value
                if rng.random() < 0.25 and "\n" not in value:
                    tmpl = tmpl.replace(" {X}", "\n{X}", 1) if " {X}" in tmpl else tmpl
                sentence = tmpl.replace("{X}", value)
                sentence = sentence[0].upper() + sentence[1:]
                # Where the target starts within the sentence.
                at = sentence.index(value) + value.index(target)
                text += ("" if not text else " ")
                prefix_len = len(text)
                text += sentence + ("" if sentence.endswith(".") else ".")
                planted.append((name, None, prefix_len + at, sub, target))
            if rng.random() < 0.5:
                neg = rng.choice(NEGATIVES)
                text += " " + neg[0].upper() + neg[1:] + "."
                planted.append((name, None, text.index(neg[0].upper() + neg[1:]), "none", neg))
            text += " " + rng.choice(FILLER)
            label = participant
            lines.append("")
            start_line = len(lines) + 1
            prefix = f"{label}: "
            body = prefix + text
            # Resolve the pending planted entries of this turn to line/col.
            for i, p in enumerate(planted):
                if p[0] == name and p[1] is None:
                    offset = len(prefix) + p[2]
                    before = body[:offset]
                    line = start_line + before.count("\n")
                    col = offset - (before.rfind("\n") + 1) + 1
                    planted[i] = (name, line, col, p[3], p[4])
            lines.extend(body.split("\n"))
            lines.append("")
            lines.append("Interviewer: And then?")
        (corpus / name).write_text("\n".join(lines) + "\n")
    with open(here / "planted.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "line", "col", "kind", "text"])
        w.writerows(planted)
    (here / "names.txt").write_text(
        "# the study's own names: wards, practices, a neighbourhood\n"
        + "".join(s.replace("the ", "") + "\n" for s in STUDY))


if __name__ == "__main__":
    main()
