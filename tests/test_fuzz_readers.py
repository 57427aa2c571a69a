"""Short fuzz run (issue 7): random bytes, file names and JSONL lines never crash the readers.

Every input file yields documents or a ReadError naming it, and whatever comes out can be
written as UTF-8 JSON (no lone surrogates from odd names or escapes, no NaN).
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import load_config
from cleaner.errors import InputError
from cleaner.io.decode import decode_bytes
from cleaner.io.readers import InputSpec, RawDoc, ReadError, list_inputs, read_inputs

SPEC = InputSpec.from_config(load_config({"input": {"max_file_mb": 0.01}}).section("input"))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
records = st.fixed_dictionaries(
    {}, optional={"id": json_values, "text": st.text() | json_values, "source": json_values, "x": json_values}
)
jsonl_line = st.one_of(
    records.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    records.map(lambda r: json.dumps(r).encode()),  # \\uXXXX escapes, lone surrogates included
    st.binary(max_size=60),
    st.just(b'{"id": "big", "text": "' + b"x" * 20_000 + b'"}'),  # over the 0.01 MB limit
)
names = st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b".."))
contents = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(jsonl_line, max_size=6).map(b"\n".join),
    st.lists(jsonl_line, max_size=6).map(lambda lines: gzip.compress(b"\n".join(lines), mtime=0)),
)
files = st.lists(
    st.tuples(names, st.sampled_from([b".txt", b".jsonl", b".jsonl.gz", b".TXT", b""]), contents),
    min_size=1,
    max_size=6,
    unique_by=lambda f: f[0] + f[1],
)


def writable(item: RawDoc | ReadError) -> None:
    """What the run will write must encode: this raises on a lone surrogate or a NaN."""
    json.dumps(dataclasses.asdict(item), ensure_ascii=False, allow_nan=False).encode("utf-8")


@FUZZ
@given(st.binary(max_size=400), st.sampled_from([("cp1252", "latin-1"), ("ascii",), ()]))
def test_decode_bytes_decodes_or_refuses(data: bytes, fallbacks: tuple[str, ...]) -> None:
    try:
        decoded = decode_bytes(data, "in/f.txt", fallbacks)
    except InputError as exc:
        assert exc.path == "in/f.txt" and exc.reason and exc.hint
        return
    assert decoded.text.strip() and "\x00" not in decoded.text and not decoded.text.startswith("\ufeff")
    decoded.text.encode("utf-8")


@FUZZ
@given(files)
def test_every_file_yields_docs_or_an_error(tree: list[tuple[bytes, bytes, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, suffix, data in tree:
            (root / os.fsdecode(name + suffix)).write_bytes(data)
        listed = {
            os.fsencode(p.relative_to(root).as_posix()).decode("utf-8", "backslashreplace")
            for p in list_inputs(root, SPEC)
        }
        items = list(read_inputs(root, SPEC))
        assert items == list(read_inputs(root, SPEC)), "the same order every time"
    for item in items:
        assert isinstance(item, RawDoc | ReadError)
        writable(item)
        if isinstance(item, ReadError):
            assert item.reason and item.hint
        else:
            assert item.text.strip() and item.id
    assert {item.path for item in items} == listed, "every input file is read or reported, nothing else"
