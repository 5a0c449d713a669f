"""mint on a cluster: code partitions on Dask or Spark workers, merge the
partial tallies as ``mint merge`` merges shards, and get the table one
``mint code`` run over everything prints, cell for cell.

Each worker codes its partition with the same engine into a ``mint.Tally``
(per-participant counts, picklable, kept sparse); Dask merges them on the
workers, four at a time, and the client receives one (Spark's driver merges
what ``mapInPandas`` returns). Participants are unions, not sums: a respondent whose rows
land in two partitions is one case, with the references of both.

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

import pickle
from typing import Any, Optional, Sequence, Union

import pandas as pd

from . import Codebook, Tally, _codebook, code, code_dir, files, merge

__all__ = ["partition_tally", "dask_tally", "dask_tally_files", "spark_tally"]


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
        return pd.Series([pickle.dumps(tally)], dtype=object)

    partials = frame.map_partitions(one, meta=pd.Series(dtype=object)).to_delayed()
    return _unpack(_tree(partials).compute())


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
        return [pickle.dumps(Tally.of(codings, codebook=cb))]

    return _unpack(_tree(bag.map_partitions(one).to_delayed()).compute())


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
            yield pd.DataFrame({"tally": [pickle.dumps(tally)]})

    rows = frame.select(*columns).mapInPandas(tallies, schema="tally binary").collect()
    return merge(pickle.loads(bytes(row["tally"])) for row in rows)


def _unpack(part: Any) -> Optional[Tally]:
    """A partition's pickled tally (alone, in a list or a Series), or None."""
    if isinstance(part, (pd.Series, list)):
        part = list(part)
        if not part:
            return None
        part = part[0]
    return pickle.loads(part)


def _merge_pickled(*parts: Any) -> bytes:
    tallies = [t for t in map(_unpack, parts) if t is not None]
    return pickle.dumps(merge(tallies))


def _tree(parts: list, fanout: int = 4):
    """Merges the partitions' tallies on the workers, `fanout` at a time, up
    to one: the client receives one tally, not one per partition."""
    from dask import delayed

    while len(parts) > 1:
        parts = [delayed(_merge_pickled)(*parts[i : i + fanout]) for i in range(0, len(parts), fanout)]
    return parts[0]
