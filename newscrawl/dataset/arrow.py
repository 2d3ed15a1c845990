"""Arrow arrays to and from numpy and Python values by their buffers. pyarrow's own conversions
(pa.array, pa.scalar, Array.to_numpy, a Python value given to a compute function) first ask whether
the value is a pandas object, which imports pandas when it is installed: 0.2-0.3 s of CPU once per
process, a fixed cost of every small incremental `dataset build` (tests/test_dataset_arrow.py holds
that a build imports no pandas)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def buffer(chunk: pa.Array, index: int) -> memoryview:
    """One of an array's buffers (0: validity, 1: offsets or values), for numpy to read in place."""
    found = chunk.buffers()[index]
    if found is None:
        raise ValueError(f"a {chunk.type} array without buffer {index}")
    return memoryview(found)


def valid(chunk: pa.Array) -> np.ndarray:
    """A bool per value: not null."""
    if not chunk.null_count:
        return np.ones(len(chunk), dtype=bool)
    bits = np.unpackbits(np.frombuffer(buffer(chunk, 0), dtype=np.uint8), bitorder="little")
    return bits[chunk.offset: chunk.offset + len(chunk)].astype(bool)


def to_numpy(chunk: pa.Array, dtype: type[np.generic]) -> np.ndarray:
    """The values of a fixed-width array (a null's slot holds whatever its buffer does: see `valid`)."""
    if chunk.type.bit_width != np.dtype(dtype).itemsize * 8:
        raise TypeError(f"a {chunk.type} array read as {np.dtype(dtype)}")
    return np.frombuffer(buffer(chunk, 1), dtype=dtype, count=chunk.offset + len(chunk))[chunk.offset:]


def _wrap(values: np.ndarray) -> pa.Buffer:
    """An Arrow buffer over a contiguous numpy array's memory (it keeps the array alive)."""
    return pa.py_buffer(np.ascontiguousarray(values).data)


def from_numpy(values: np.ndarray, type: pa.DataType) -> pa.Array:
    """A fixed-width array of numpy values (no null)."""
    values = np.ascontiguousarray(values)
    if type.bit_width != values.dtype.itemsize * 8:
        raise TypeError(f"{values.dtype} values as a {type} array")
    return pa.Array.from_buffers(type, len(values), [None, _wrap(values)], null_count=0)


def _validity(present: np.ndarray) -> pa.Buffer | None:
    return None if present.all() else _wrap(np.packbits(present, bitorder="little"))


def strings(values: Sequence[str | None]) -> pa.Array:
    """A string array of Python strings and Nones."""
    present = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    encoded = [v.encode() if v is not None else b"" for v in values]
    offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int32, count=len(encoded)), out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(values), [_validity(present), _wrap(offsets),
                                                           pa.py_buffer(b"".join(encoded))],
                                 null_count=len(values) - int(present.sum()))


def booleans(values: Sequence[bool | None]) -> pa.Array:
    """A bool array of Python bools and Nones."""
    present = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    bits = np.packbits(np.fromiter((bool(v) for v in values), dtype=bool, count=len(values)), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [_validity(present), _wrap(bits)],
                                 null_count=len(values) - int(present.sum()))
