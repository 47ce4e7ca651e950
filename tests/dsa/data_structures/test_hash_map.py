"""HashMap against dict, plus probe-length statistics, tombstone purging and determinism."""

from __future__ import annotations

import random
import re
import subprocess
import sys

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from studybook.dsa.data_structures import HashMap
from studybook.dsa.data_structures.hash_map import fnv1a_64, key_bytes

# A small key space so that updates, deletes of present keys and collisions are common.
KEYS = st.one_of(
    st.text(alphabet="ab", max_size=3),
    st.binary(max_size=2).filter(lambda b: len(set(b)) <= 1),
    st.integers(-3, 40),
)


class HashMapMachine(RuleBasedStateMachine):
    keys = Bundle("keys")

    def __init__(self) -> None:
        super().__init__()
        self.map: HashMap[int] = HashMap()
        self.model: dict[str | bytes | int, int] = {}

    @rule(target=keys, key=KEYS)
    def new_key(self, key: str | bytes | int) -> str | bytes | int:
        return key

    @rule(key=keys, value=st.integers())
    def set(self, key: str | bytes | int, value: int) -> None:
        self.map[key] = value
        self.model[key] = value

    @rule(key=keys)
    def get(self, key: str | bytes | int) -> None:
        if key in self.model:
            assert self.map[key] == self.model[key]
        else:
            with pytest.raises(KeyError) as info:
                self.map[key]
            assert info.value.args == (key,)
        assert self.map.get(key, -1) == self.model.get(key, -1)
        assert (key in self.map) == (key in self.model)

    @rule(key=keys)
    def delete(self, key: str | bytes | int) -> None:
        if key in self.model:
            del self.map[key]
            del self.model[key]
        else:
            with pytest.raises(KeyError) as info:
                del self.map[key]
            assert info.value.args == (key,)

    @invariant()
    def agrees(self) -> None:
        self.map._check_invariants()
        assert len(self.map) == len(self.model)
        assert dict(self.map.items()) == self.model
        assert sorted(map(repr, self.map)) == sorted(map(repr, self.model))


TestHashMapMachine = HashMapMachine.TestCase
TestHashMapMachine.settings = settings(max_examples=80, stateful_step_count=80, deadline=None)


def _expected_probes(load: float) -> tuple[float, float]:
    """Knuth, TAOCP vol. 3, 6.4: linear probing, successful and unsuccessful search."""
    return (1 + 1 / (1 - load)) / 2, (1 + 1 / (1 - load) ** 2) / 2


@pytest.mark.parametrize("n", [1365, 1000, 2700])  # loads 0.667 and 0.49 of 2048, 0.33 of 8192
def test_average_probe_length_matches_knuth(n: int):
    rng = random.Random(n)
    keys = rng.sample(range(10**12), 2 * n)
    present, absent = keys[:n], keys[n:]
    m: HashMap[int] = HashMap()
    for k in present:
        m[k] = k
    load = m.load_factor()
    hit, miss = _expected_probes(load)
    before = m.probes
    for k in present:
        assert m[k] == k
    measured_hit = (m.probes - before) / n
    before = m.probes
    for k in absent:
        assert k not in m
    measured_miss = (m.probes - before) / n
    # Knuth's formulas are asymptotic averages over random hash functions; allow 25%.
    assert measured_hit == pytest.approx(hit, rel=0.25), (load, measured_hit, hit)
    assert measured_miss == pytest.approx(miss, rel=0.25), (load, measured_miss, miss)
    assert load <= 2 / 3


def test_churn_purges_tombstones_and_keeps_the_table_small():
    m: HashMap[int] = HashMap()
    for i in range(10_000):
        m[i] = i
        del m[i]
        if i % 997 == 0:
            m._check_invariants()
    assert len(m) == 0
    assert m.capacity == 8  # rebuilds drop tombstones instead of growing forever
    assert m.load_factor() <= 2 / 3


def test_tombstone_keeps_probe_path_intact():
    m: HashMap[str] = HashMap()
    # Find three keys with the same home slot in an 8-slot table.
    same_home = [k for k in range(500) if fnv1a_64(key_bytes(k)) & 7 == 0][:3]
    for k in same_home:
        m[k] = str(k)
    del m[same_home[0]]  # emptying this slot would hide the other two
    assert [m[k] for k in same_home[1:]] == [str(k) for k in same_home[1:]]
    m[same_home[0]] = "back"  # reuses the tombstone
    m._check_invariants()
    assert m.capacity == 8


def test_layout_is_the_same_in_every_process():
    code = (
        "from studybook.dsa.data_structures import HashMap\n"
        "m = HashMap()\n"
        "for k in ['apple', b'pear', 7, 'fig', -2]: m[k] = 0\n"
        "print(list(m))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": ":".join(sys.path)},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_key_encoding_is_canonical_and_typed():
    assert key_bytes(1) != key_bytes("1") != key_bytes(b"1")
    assert [key_bytes(i) for i in (127, 128, -128, -129)] == [
        b"i\x7f",
        b"i\x80\x00",
        b"i\x80",
        b"i\x7f\xff",
    ]
    assert fnv1a_64(b"foobar") == 0x85944171F73967E8  # published FNV-1a test vector


@pytest.mark.parametrize(
    ("key", "shown"), [(1.0, "float: 1.0"), (True, "bool: True"), ((1,), "tuple: (1,)")]
)
def test_unsupported_keys_raise_type_error(key: object, shown: str):
    m: HashMap[int] = HashMap()
    message = "^" + re.escape(f"HashMap keys must be str, bytes or int, got {shown}") + "$"
    with pytest.raises(TypeError, match=message):
        m[key] = 1  # type: ignore[index]
    with pytest.raises(TypeError, match=message):
        m[key]  # type: ignore[index]
    assert key not in m
