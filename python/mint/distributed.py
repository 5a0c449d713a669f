"""mint on a cluster: code partitions on Dask or Spark workers, merge the
partial tallies as ``mint merge`` merges shards, and get the table one
``mint code`` run over everything prints, cell for cell.

Each worker codes its partition with the same engine into a ``mint.Tally``
(per-participant counts) and sends back its state (JSON, counts kept
sparse); the client (Spark's driver) merges the states in one pass, in Rust
and without the GIL. Participants are unions, not sums: a respondent whose
rows land in two partitions is one case, with the references of both.

(An earlier version merged the tallies on the workers, four at a time. With
a participant per survey respondent, every level of that tree decoded,
merged and encoded again every participant, and the last merge, the
client's decoding and the table ran one after the other: 2 workers were
1.3x one. One merge on the client costs one pass.)

Dask, a column of texts (``dask.dataframe.map_partitions``)::

    import dask.dataframe as dd, mint, mint.distributed as md
    comments = dd.read_csv("comments-*.csv", dtype=str, keep_default_na=False)
    total = md.dask_tally(comments, text="comment", id="id", attributes=["trust", "month"])
    total.table(by=["trust"])   # == mint code comments.csv --text-column comment ...

Dask, a folder of transcripts (``dask.bag``)::

    total = md.dask_tally_files("transcripts/", attributes="participants.csv")

Spark (``mapInPandas``)::

    total = md.spark_tally(spark_df, text="comment", id="id", attributes=["trust"])

Dask and PySpark are imported only when used.
"""

from __future__ import annotations

import warnings
from typing import Any, Iterable, Optional, Sequence, Union

import pandas as pd

from . import Codebook, Tally, _codebook, _mint, code, code_dir, files

__all__ = ["partition_tally", "dask_tally", "dask_tally_files", "spark_tally", "merge_states"]


def partition_tally(
    part: Union[pd.DataFrame, pd.Series],
    codebook: Codebook,
    unit: str = "turn",
    text: Optional[str] = None,
    id: Optional[str] = None,
    attributes: Sequence[str] = (),
) -> Tally:
    """The partial tally of one partition: a Series of texts (ids from its
    index), or a data frame with a ``text`` column, an ``id`` column (or the
    index) and ``attributes`` columns, one row per response."""
    if isinstance(part, pd.Series):
        return Tally.of(code(part, codebook, unit), codebook=codebook)
    ids = part[id] if id is not None else part.index.to_series()
    codings = code(part[text], codebook, unit, ids=ids)
    sheet = part[list(attributes)].copy()
    sheet.insert(0, "id", ids.to_numpy())
    return Tally.of(codings, sheet, codebook)


def dask_tally(
    frame: Any,
    codebook: Union[Codebook, str, None] = None,
    unit: str = "turn",
    text: Optional[str] = None,
    id: Optional[str] = None,
    attributes: Sequence[str] = (),
) -> Tally:
    """Code a Dask Series of texts, or a Dask DataFrame's ``text`` column,
    partition by partition on the workers (``map_partitions``) and merge
    the partial tallies on the client. See ``partition_tally``."""
    cb = _codebook(codebook)
    attributes = list(attributes)

    def one(part):
        tally = partition_tally(part, cb, unit, text, id, attributes)
        return pd.Series([tally._inner.state_json()], dtype=object)

    import dask

    partials = frame.map_partitions(one, meta=pd.Series(dtype=object)).to_delayed()
    return merge_states(cb, (s for part in dask.compute(*partials) for s in part))


def dask_tally_files(
    path: Any,
    codebook: Union[Codebook, str, None] = None,
    unit: str = "turn",
    attributes: Optional[str] = None,
    npartitions: Optional[int] = None,
    glob: Sequence[str] = (),
    exclude: Sequence[str] = (),
    **read: Any,
) -> Tally:
    """Code a folder of transcripts on the workers: the files ``mint
    code`` would read (``mint.files``), in a ``dask.bag`` of
    ``npartitions`` lists of files, each read and coded with the CLI's
    reader (``code_dir``, with ``read``'s options), then the partial
    tallies merged on the client."""
    import dask.bag as db

    cb = _codebook(codebook)
    paths = files(path, glob, exclude, surveys=read.get("text_column") is not None)
    bag = db.from_sequence(paths, npartitions=npartitions or min(len(paths), 64) or 1)

    def one(part):
        part = list(part)
        if not part:
            return []
        codings = code_dir(part, cb, unit, attributes, **read)
        return [Tally.of(codings, codebook=cb)._inner.state_json()]

    return merge_states(cb, bag.map_partitions(one).compute())


def spark_tally(
    frame: Any,
    text: str,
    id: str,
    attributes: Sequence[str] = (),
    codebook: Union[Codebook, str, None] = None,
    unit: str = "turn",
) -> Tally:
    """Code a Spark DataFrame's ``text`` column on the executors
    (``mapInPandas``: each Arrow batch becomes a pandas frame, coded and
    tallied there) and merge the partial tallies on the driver."""
    cb = _codebook(codebook)
    attributes = list(attributes)
    columns = [id, text, *attributes]

    def tallies(batches):
        for part in batches:
            tally = partition_tally(part, cb, unit, text, id, attributes)
            yield pd.DataFrame({"tally": [tally._inner.state_json()]})

    rows = frame.select(*columns).mapInPandas(tallies, schema="tally string").collect()
    return merge_states(cb, (row["tally"] for row in rows))


def merge_states(codebook: Codebook, states: Iterable[str]) -> Tally:
    """One tally from the states of partial tallies (``Tally._inner.state_json()``,
    what the workers send back), merged as ``mint.merge`` merges tallies."""
    inner, notes = _mint.Tally.merge_states(codebook._inner, list(states))
    for note in notes:
        warnings.warn(note, stacklevel=2)
    return Tally(inner)
