"""mint from Python: code interview transcripts and free-text comments with a
codebook, in pandas, and count themes by participant group.

This is the same engine as the ``mint`` command (the Rust library, through
the ``mint._mint`` extension): the same reader, matcher and counting, so a
table from here equals the table ``mint code`` prints, cell for cell.

>>> import mint
>>> cb = mint.Codebook.default()
>>> codings = mint.code(["We share records with the GP now."], cb)
>>> list(codings.columns)
['id', 'segment', 'code', 'theme', 'start', 'end', 'matched', 'rule', 'score']

- ``Codebook.load(path)`` / ``Codebook.default()``: ``.themes``, ``.codes``
  (data frames), ``.check()``, and a ``repr`` like ``mint codebook show``.
- ``code(texts, codebook, unit="turn", ids=None)``: a list or Series of texts,
  each coded as one respondent's answer (as a survey CSV's row is), to the
  long codings layout, one row per coded segment and code.
- ``code_dir(path, ...)``: files and folders read as ``mint code`` reads them.
- ``tally(codings, attributes, by=[...])``: the table of ``mint code --by``.
- ``Tally``: per-participant counts that merge across partitions the way
  ``mint merge`` merges shards (``mint.distributed`` runs it on Dask and Spark).

Errors are ``MintError`` subclasses with the message the CLI prints. The GIL
is released while coding, and coding runs on all cores.
"""

from __future__ import annotations

import io
import os
import warnings
from typing import Any, Iterable, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _mint
from ._mint import CodebookError, CorpusError, MintError, UsageError

__version__ = _mint.__version__

__all__ = [
    "Codebook",
    "CodebookError",
    "CorpusError",
    "MintError",
    "Tally",
    "UsageError",
    "code",
    "code_dir",
    "files",
    "merge",
    "tally",
]

PathLike = Union[str, "os.PathLike[str]"]

#: The columns of ``code``'s data frame, in order.
CODINGS_COLUMNS = ["id", "segment", "code", "theme", "start", "end", "matched", "rule", "score"]


class Codebook:
    """A codebook of themes and codes, compiled once for coding.

    Load one with ``Codebook.load(path)`` (TOML, JSON, or REFI-QDA ``.qdc``;
    further paths extend the first, as repeated ``--codebook`` flags do) or
    take the embedded one with ``Codebook.default()``.
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: "_mint.Codebook"):
        self._inner = inner

    @classmethod
    def load(cls, path: PathLike, *extensions: PathLike) -> "Codebook":
        """Load a codebook file, extended by each of ``extensions``
        (``"default"`` names the embedded codebook)."""
        paths = [os.fspath(p) for p in (path, *extensions)]
        return cls(_mint.Codebook.load(paths))

    @classmethod
    def default(cls) -> "Codebook":
        """The embedded default codebook (``mint codebook show``)."""
        return cls(_mint.Codebook.default())

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def version(self) -> str:
        return self._inner.version

    @property
    def source(self) -> str:
        """Where it was loaded from."""
        return self._inner.source

    @property
    def themes(self) -> pd.DataFrame:
        """One row per theme: ``id``, ``label``, in codebook order."""
        return pd.DataFrame(self._inner.theme_rows(), columns=["id", "label"])

    @property
    def codes(self) -> pd.DataFrame:
        """One row per code: ``theme``, ``id``, ``label``, ``origin``,
        ``parent``, ``patterns`` (a list), in codebook order."""
        return pd.DataFrame(
            self._inner.code_rows(),
            columns=["theme", "id", "label", "origin", "parent", "patterns"],
        )

    def check(self) -> pd.DataFrame:
        """What ``mint codebook check`` finds: one row per problem
        (``severity``, ``line``, ``column``, ``message``); empty when none."""
        return pd.DataFrame(
            self._inner.check(), columns=["severity", "line", "column", "message"]
        )

    def _code_ids(self) -> list:
        return [row[1] for row in self._inner.code_rows()]

    def _theme_ids(self) -> list:
        return [row[0] for row in self._inner.theme_rows()]

    def __repr__(self) -> str:
        return self._inner.show().rstrip("\n")

    def __reduce__(self):
        return (_codebook_from_json, (self._inner.to_json(), self.source))

    # A codebook never changes: copies (pandas copies ``attrs``) are itself.
    def __copy__(self) -> "Codebook":
        return self

    def __deepcopy__(self, memo: dict) -> "Codebook":
        return self


_UNPICKLED: dict = {}


def _codebook_from_json(text: str, source: str) -> Codebook:
    # A worker unpickles the same codebook for every partition: compile it once.
    key = (text, source)
    if key not in _UNPICKLED:
        _UNPICKLED[key] = Codebook(_mint.Codebook.from_json(text, source))
    return _UNPICKLED[key]


_DEFAULT: Optional[Codebook] = None


def _codebook(codebook: Union[Codebook, PathLike, None]) -> Codebook:
    global _DEFAULT
    if codebook is None:
        if _DEFAULT is None:
            _DEFAULT = Codebook.default()
        return _DEFAULT
    if isinstance(codebook, Codebook):
        return codebook
    return Codebook.load(codebook)


def _strings(values: Any) -> list:
    """Texts as Python strings; a missing value (None, NaN) is empty."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return series.astype(object).where(series.notna(), "").astype(str).tolist()


def code(
    texts: Union[pd.Series, Sequence[str], Iterable[str]],
    codebook: Union[Codebook, PathLike, None] = None,
    unit: str = "turn",
    ids: Optional[Sequence[Any]] = None,
) -> pd.DataFrame:
    """Code each text as one respondent's answer, as ``mint code`` codes a
    survey CSV's rows (``--text-column``).

    ``texts`` is a list or a pandas Series; ``ids`` names each text's
    participant (default: the Series' index, or 0, 1, ...). ``unit`` is
    ``turn`` (the whole text), ``paragraph`` or ``sentence``.

    Returns the long codings layout, one row per coded segment and code:
    ``id``, ``segment`` (the segment's number among its id's segments in
    this call, from 0), ``code`` and ``theme`` (categoricals in codebook
    order), ``start`` and ``end`` (the matched text's span in the text, in
    characters: ``text[start:end]``), ``matched``, ``rule`` (the pattern
    that matched, categorical) and ``score`` (0 to 1, as ``--codings``).
    ``attrs["participants"]`` lists every id, coded or not, and
    ``attrs["codebook"]`` the codebook, for ``tally``.
    """
    cb = _codebook(codebook)
    if isinstance(texts, pd.Series):
        values = texts
        if ids is None:
            ids = texts.index
    else:
        values = list(texts)
    if ids is None:
        ids = pd.RangeIndex(len(values))
    index = pd.Index(ids)
    if len(index) != len(values):
        raise UsageError(f"ids: {len(index)} ids for {len(values)} texts")
    id_strings = index.astype(str).tolist()
    columns = _mint.code_texts(cb._inner, _strings(values), id_strings, unit)
    rows = np.frombuffer(columns["text"], dtype="<i8")
    frame = _frame(columns, cb, {"id": index.take(rows)})
    participants = pd.DataFrame(index=pd.Index(pd.unique(np.asarray(id_strings, dtype=object)), name="id"))
    frame.attrs["participants"] = participants
    frame.attrs["codebook"] = cb
    frame.attrs["unit"] = unit
    return frame


def code_dir(
    path: Union[PathLike, Sequence[PathLike]],
    codebook: Union[Codebook, PathLike, None] = None,
    unit: str = "turn",
    attributes: Optional[PathLike] = None,
    glob: Sequence[str] = (),
    exclude: Sequence[str] = (),
    text_column: Optional[str] = None,
    id_column: Optional[str] = None,
    interviewer: Sequence[str] = (),
    speakers: Sequence[str] = (),
) -> pd.DataFrame:
    """Read and code transcript files and folders as ``mint code`` does: the
    same formats (.txt, .md, .docx, .odt, .vtt, .srt, survey .csv with
    ``text_column``), front matter, ``attributes`` sheet, ``glob`` and
    ``exclude``, speaker labels.

    Returns the long codings layout with ``file`` (as outputs name it),
    ``turn`` (the turn's index in the file) and ``segment`` (the
    segment's number in the file, from 0) before ``code``.
    ``attrs["participants"]`` holds every participant and their
    attributes. Warnings the CLI prints become Python warnings; a file that
    could not be read raises ``CorpusError`` with the CLI's message.
    """
    cb = _codebook(codebook)
    paths = [os.fspath(path)] if isinstance(path, (str, os.PathLike)) else [os.fspath(p) for p in path]
    columns = _mint.code_files(
        cb._inner,
        paths,
        unit,
        os.fspath(attributes) if attributes is not None else None,
        list(glob),
        list(exclude),
        text_column,
        id_column,
        list(interviewer),
        list(speakers),
    )
    errors = []
    for level, message in columns["events"]:
        if level == "error":
            errors.append(message)
        elif level == "warning":
            warnings.warn(message, stacklevel=2)
    if columns["failed"]:
        raise CorpusError("\n".join(errors) or "a file could not be read")
    frame = _frame(
        columns,
        cb,
        {
            "file": pd.Categorical.from_codes(np.frombuffer(columns["file"], dtype="<i8"), categories=columns["files"]),
            "id": np.asarray(columns["ids"] or [""], dtype=object)[np.frombuffer(columns["id"], dtype="<i8")],
            "turn": np.frombuffer(columns["turn"], dtype="<i8"),
        },
    )
    ids = [p[0] for p in columns["participants"]]
    records = [p[1] for p in columns["participants"]]
    participants = pd.DataFrame.from_records(records, index=pd.Index(ids, name="id")) if ids else pd.DataFrame(index=pd.Index([], name="id"))
    frame.attrs["participants"] = participants
    frame.attrs["codebook"] = cb
    frame.attrs["unit"] = unit
    return frame


def files(
    path: Union[PathLike, Sequence[PathLike]],
    glob: Sequence[str] = (),
    exclude: Sequence[str] = (),
    surveys: bool = False,
) -> list:
    """The files ``mint code`` would read from these paths, in its order:
    for splitting a folder across workers (``mint.distributed``)."""
    paths = [os.fspath(path)] if isinstance(path, (str, os.PathLike)) else [os.fspath(p) for p in path]
    return [p for p, _ in _mint.files(paths, list(glob), list(exclude), surveys)]


def _frame(columns: dict, cb: Codebook, lead: dict) -> pd.DataFrame:
    """The codings data frame from the extension's columns."""

    def ints(name: str) -> np.ndarray:
        return np.frombuffer(columns[name], dtype="<i8")

    data = dict(lead)
    data["segment"] = ints("segment")
    data["code"] = pd.Categorical.from_codes(ints("code"), categories=cb._code_ids())
    data["theme"] = pd.Categorical.from_codes(ints("theme"), categories=cb._theme_ids())
    data["start"] = ints("start")
    data["end"] = ints("end")
    data["matched"] = pd.Series(columns["matched"], dtype=object)
    data["rule"] = pd.Categorical.from_codes(ints("rule"), categories=columns["rules"])
    data["score"] = np.frombuffer(columns["score"], dtype="<f8")
    return pd.DataFrame({k: (v.to_numpy() if isinstance(v, pd.Series) else v) for k, v in data.items()})


def _factorised(column: pd.Series) -> tuple:
    """A column as (codes as ``<i8`` bytes, its distinct values as text):
    a categorical's own codes, or ``pandas.factorize``'s (-1 where missing)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, values = column.cat.codes.to_numpy(), column.cat.categories
    else:
        codes, values = pd.factorize(column)
    return np.ascontiguousarray(codes, dtype="<i8").tobytes(), [str(v) for v in values]


def _attributes(attributes: Any, codings: Optional[pd.DataFrame] = None) -> dict:
    """Participants' attributes as {id: {name: value}}: from a data frame
    whose ``id`` (or ``participant``) column, or else index, holds the ids
    and whose other columns are attributes (names in lower case, values as
    text; a missing or empty value is no attribute), or a mapping."""
    if attributes is None and codings is not None:
        attributes = codings.attrs.get("participants")
    if attributes is None:
        return {}
    if isinstance(attributes, dict):
        return {str(k): {str(a).lower(): str(v) for a, v in dict(vals).items()} for k, vals in attributes.items()}
    frame = attributes
    if "id" in frame.columns:
        ids = frame["id"]
        frame = frame.drop(columns=["id"])
    elif "participant" in frame.columns:
        ids = frame["participant"]
        frame = frame.drop(columns=["participant"])
    else:
        ids = frame.index.to_series()
    ids = ids.astype(str).str.strip().tolist()
    out = {i: {} for i in ids}
    for column in frame.columns:
        values = frame[column]
        text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
        name = str(column).strip().lower()
        for i, value in zip(ids, text.tolist()):
            if value:
                out[i].setdefault(name, value)
    return out


class Tally:
    """Per-participant counts of a codebook's codes and themes, with the
    participants' attributes: a partial tally of one partition, or the
    whole. Tallies merge as ``mint merge`` merges shards (a participant in
    two is one, with the references of both), pickle small, and give the
    table of ``mint code`` with ``table``.
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: "_mint.Tally"):
        self._inner = inner

    @classmethod
    def of(
        cls,
        codings: pd.DataFrame,
        attributes: Any = None,
        codebook: Union[Codebook, PathLike, None] = None,
    ) -> "Tally":
        """Count a codings data frame (from ``code`` or ``code_dir``).

        Every participant in ``attributes`` counts in its group's size,
        coded or not (default: ``codings.attrs["participants"]``). A
        segment is (``file``, ``id``, ``segment``), ``file`` when there is
        one; the codebook defaults to ``codings.attrs["codebook"]``.
        """
        cb = _codebook(codebook if codebook is not None else codings.attrs.get("codebook"))
        id_of, ids = _factorised(codings["id"])
        code_of, codes = _factorised(codings["code"])
        segments = np.ascontiguousarray(codings["segment"].to_numpy(dtype="<i8")).tobytes()
        file_of, files_ = _factorised(codings["file"]) if "file" in codings.columns else (None, None)
        inner = _mint.Tally.from_codes(
            cb._inner, ids, id_of, segments, codes, code_of, files_, file_of, _attributes(attributes, codings)
        )
        return cls(inner)

    def merge(self, *others: "Tally") -> "Tally":
        """This tally and ``others`` as one, as ``mint merge`` does."""
        flat = []
        for other in others:
            flat.extend([other] if isinstance(other, Tally) else list(other))
        if not flat:
            return self
        inner, notes = self._inner.merge([t._inner for t in flat])
        for note in notes:
            warnings.warn(note, stacklevel=2)
        return Tally(inner)

    __add__ = merge

    def to_csv(self, by: Optional[Sequence[str]] = None, long: bool = False) -> str:
        """The table as ``mint code --by BY --format csv`` prints it
        (``long``: as ``--matrix - --long``), byte for byte."""
        csv, notes = self._inner.table(None if by is None else list(by), long)
        for note in notes:
            warnings.warn(note, stacklevel=3)
        return csv.decode("utf-8")

    def table(self, by: Optional[Sequence[str]] = None, long: bool = False) -> pd.DataFrame:
        """The theme > code x group table of ``mint code --by BY``, as a
        data frame read from its CSV (``long``: one row per theme or code
        and group, for plotting). ``theme`` and ``code`` are categoricals in
        codebook order; a theme's own row has an empty ``code``."""
        frame = pd.read_csv(
            io.StringIO(self.to_csv(by, long)),
            keep_default_na=False,
            na_values=[],
            dtype={"theme": str, "code": str, "label": str, "origin": str},
        )
        cb = self.codebook
        frame["theme"] = pd.Categorical(frame["theme"], categories=cb._theme_ids(), ordered=True)
        frame["code"] = pd.Categorical(frame["code"], categories=["", *cb._code_ids()])
        return frame

    @property
    def participants(self) -> list:
        """Every participant's id, in order."""
        return self._inner.participants

    @property
    def codebook(self) -> Codebook:
        return Codebook(self._inner.codebook)

    def __reduce__(self):
        return (_tally_from_state, (self.codebook, self._inner.state_json()))

    def __repr__(self) -> str:
        return f"<mint.Tally: {len(self.participants)} participants, codebook {self.codebook.name} {self.codebook.version}>"


def _tally_from_state(codebook: Codebook, state: str) -> Tally:
    return Tally(_mint.Tally.from_state_json(codebook._inner, state))


def merge(tallies: Iterable[Tally]) -> Tally:
    """Merge partial tallies (of partitions, shards, workers) into one, as
    ``mint merge`` merges the JSON of ``mint code`` runs."""
    tallies = list(tallies)
    if not tallies:
        raise UsageError("merge: no tallies to merge")
    return tallies[0].merge(*tallies[1:])


def tally(
    codings: pd.DataFrame,
    attributes: Any = None,
    by: Optional[Sequence[str]] = None,
    codebook: Union[Codebook, PathLike, None] = None,
    long: bool = False,
) -> pd.DataFrame:
    """The table ``mint code --by BY --format csv`` prints, from codings:
    references and participants coded per theme and code in each group of
    participants, the group's size N, and the percentage.

    ``attributes``: a data frame with an ``id`` column (or index) and one
    column per attribute, covering every participant, coded or not
    (default: ``codings.attrs["participants"]``). ``by``: the attributes to
    group by (default: level and sector, those any participant has; ``[]``
    for none). An unknown attribute raises ``UsageError``.
    """
    return Tally.of(codings, attributes, codebook).table(by, long)
