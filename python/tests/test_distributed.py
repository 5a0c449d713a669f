"""Dask and Spark: partial tallies from workers, merged as `mint merge`
merges shards, give the CLI's table exactly. Each test skips, saying why,
when Dask, PySpark or Java is missing."""

import os
import shutil
import sys

import pytest

import mint
from conftest import EXAMPLES, run_mint

STUDY = EXAMPLES / "transcripts"
SHEET = EXAMPLES / "participants.csv"


def need(module):
    try:
        return __import__(module)
    except ImportError as err:
        print(f"skipped: {module} is not installed ({err})", file=sys.stderr)
        pytest.skip(f"{module} is not installed")


@pytest.fixture(scope="module")
def dask_client():
    need("dask")
    need("distributed")
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


def survey_cli(survey_csv, by="group,region"):
    return run_mint(
        "-q", "code", survey_csv, "--text-column", "comment", "--id-column", "id", "--by", by, "--format", "csv"
    )[0]


def test_dask_over_the_survey_comments_equals_the_cli(dask_client, survey_csv, survey):
    import dask.dataframe as dd
    import mint.distributed as md

    assert len(dask_client.scheduler_info()["workers"]) == 2
    frame = dd.from_pandas(survey, npartitions=8)
    total = md.dask_tally(frame, text="comment", id="id", attributes=["group", "region"])
    with pytest.warns(UserWarning):
        assert total.to_csv(by=["group", "region"]) == survey_cli(survey_csv)


def test_dask_over_a_series_of_texts_equals_one_run(dask_client, survey):
    import dask.dataframe as dd
    import mint.distributed as md

    texts = survey.set_index("id")["comment"]
    total = md.dask_tally(dd.from_pandas(texts, npartitions=5))
    assert total.to_csv(by=[]) == mint.Tally.of(mint.code(texts)).to_csv(by=[])


def test_dask_bag_over_the_example_study_equals_the_cli(dask_client):
    import mint.distributed as md

    total = md.dask_tally_files(STUDY, attributes=SHEET, npartitions=4)
    cli = run_mint("-q", "code", STUDY, "--attributes", SHEET, "--format", "csv")[0]
    assert total.to_csv() == cli
    cli = run_mint("-q", "code", STUDY, "--attributes", SHEET, "--by", "area", "--format", "csv")[0]
    with pytest.warns(UserWarning):
        assert total.to_csv(by=["area"]) == cli


@pytest.fixture(scope="module")
def spark():
    need("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        print("skipped: no Java runtime for PySpark (java not on PATH, JAVA_HOME unset)", file=sys.stderr)
        pytest.skip("no Java runtime for PySpark")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("mint-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "1500")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_over_the_survey_comments_equals_the_cli(spark, survey_csv, survey):
    import mint.distributed as md

    frame = spark.createDataFrame(survey).repartition(6)
    total = md.spark_tally(frame, text="comment", id="id", attributes=["group", "region"])
    with pytest.warns(UserWarning):
        assert total.to_csv(by=["group", "region"]) == survey_cli(survey_csv)
