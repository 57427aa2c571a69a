"""Errors raised in a worker process (the pool, Dask) reach the parent whole: type, message and fields."""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

from cleaner.errors import CleanerError, ConfigError, IndexFileError, InputError

ERRORS = [
    IndexFileError("/data/index.sqlite", "another process kept the index locked"),
    InputError("raw/a.txt", "not UTF-8", hint="save it as UTF-8", line=7, kept=True),
    ConfigError("rules.de.byline[2]", "bad regex", path="config.toml"),
    CleanerError("plain message"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_an_error_comes_back_from_pickle_as_it_was(error):
    copy = pickle.loads(pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)


def raise_index_error(path: str) -> None:
    raise IndexFileError(path, "damaged; restore it from a backup")


def test_an_index_error_in_a_worker_process_is_raised_in_the_parent_not_a_broken_pool():
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        job = pool.submit(raise_index_error, "/data/index.sqlite")
        with pytest.raises(IndexFileError) as caught:
            job.result()
    assert caught.value.path == "/data/index.sqlite"
    assert str(caught.value) == "/data/index.sqlite: damaged; restore it from a backup"
