"""HashMap against dict, plus probe-length statistics, tombstone purging and determinism."""

from __future__ import annotations

import math
import random
import re
import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from studybook.dsa.data_structures import HashMap
from studybook.dsa.data_structures.hash_map import fmix64, fnv1a_64, key_bytes, slot_hash

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

    @rule(key=keys, value=st.integers(), delete=st.booleans())
    def mutate_while_iterating(self, key: str | bytes | int, value: int, delete: bool) -> None:
        """Adding or deleting a key under a live iterator raises, as it does for a dict."""
        outcomes = []
        for mapping in (self.map, self.model):
            it = iter(mapping)
            if delete and key in self.model:
                del mapping[key]  # type: ignore[attr-defined]
            elif not delete:
                mapping[key] = value  # type: ignore[index]
            try:
                list(it)
                outcomes.append("ok")
            except RuntimeError as error:
                outcomes.append(str(error).split()[0])  # "HashMap" or "dictionary"
        assert outcomes in (["ok", "ok"], ["HashMap", "dictionary"]), outcomes

    @invariant()
    def agrees(self) -> None:
        self.map._check_invariants()
        assert len(self.map) == len(self.model)
        assert dict(self.map.items()) == self.model
        assert sorted(map(repr, self.map)) == sorted(map(repr, self.model))


TestHashMapMachine = HashMapMachine.TestCase
TestHashMapMachine.settings = settings(max_examples=40, stateful_step_count=50, deadline=None)


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
    same_home = [k for k in range(500) if slot_hash(k) & 7 == 0][:3]
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


def test_finalizer_spreads_keys_that_fnv_alone_piles_into_one_slot():
    keys = range(0, 128, 8)  # one-byte encodings whose low 3 bits are all 0
    # FNV-1a's low 3 bits depend only on the low 3 bits of each byte: 16 keys, one
    # home slot of 8. After fmix64 they behave like random slots (7.2 expected).
    assert len({fnv1a_64(key_bytes(k)) & 7 for k in keys}) == 1
    assert len({slot_hash(k) & 7 for k in keys}) >= 6
    m: HashMap[int] = HashMap()
    for k in range(0, 8 * 1000, 8):
        m[k] = k
    before = m.probes
    assert all(m[k] == k for k in range(0, 8 * 1000, 8))
    # Load 0.49: Knuth predicts 1.48 probes per hit for a random hash.
    assert (m.probes - before) / 1000 < 1.8


def test_fmix64_is_a_bijection_on_a_sample_and_matches_murmur3():
    assert fmix64(0) == 0
    assert fmix64(1) == 0xB456BCFC34C2CB2C  # MurmurHash3 fmix64(1)
    rng = random.Random(7)
    sample = {rng.getrandbits(64) for _ in range(5000)} | {1 << i for i in range(64)}
    assert len({fmix64(h) for h in sample}) == len(sample)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: fmix64(-1), ValueError, "fmix64 needs an int in [0, 2**64), got -1"),
        (lambda: fmix64(1 << 64), ValueError, f"fmix64 needs an int in [0, 2**64), got {1 << 64}"),
        (lambda: fmix64(True), TypeError, "fmix64 needs an int, got bool: True"),
        (lambda: fmix64(1.0), TypeError, "fmix64 needs an int, got float: 1.0"),
        (lambda: fnv1a_64("a"), TypeError, "fnv1a_64 needs bytes, got str: 'a'"),
        (lambda: fnv1a_64(None), TypeError, "fnv1a_64 needs bytes, got NoneType: None"),
        (
            lambda: slot_hash(math.nan),
            TypeError,
            "HashMap keys must be str, bytes or int, got float: nan",
        ),
    ],
)
def test_hash_helpers_reject_bad_input(
    call: Callable[[], object], error: type[Exception], message: str
):
    with pytest.raises(error, match="^" + re.escape(message) + "$"):
        call()


def test_fnv1a_accepts_bytes_like():
    assert fnv1a_64(bytearray(b"foobar")) == fnv1a_64(memoryview(b"foobar")) == 0x85944171F73967E8


@pytest.mark.parametrize("mutate", ["insert", "delete"])
def test_mutation_during_iteration_raises_like_dict(mutate: str):
    m: HashMap[int] = HashMap()
    d: dict[str | bytes | int, int] = {}
    for mapping in (m, d):
        for i in range(20):
            mapping[i] = i  # type: ignore[index]
    for mapping in (m, d):
        it = iter(mapping)
        next(it)
        if mutate == "insert":
            mapping[100] = 0  # type: ignore[index]
        else:
            del mapping[5]  # type: ignore[attr-defined]
        with pytest.raises(RuntimeError, match="changed size during iteration|keys changed"):
            next(it)
    items = m.items()
    m[0] = 99  # replacing a value is not a structural change, for dict or HashMap
    assert dict(items)[0] == 99


def test_delete_then_insert_during_iteration_raises_where_dict_may_not():
    # A dict compares sizes, so deleting one key and adding another can go
    # unnoticed; HashMap counts every structural change.
    m: HashMap[int] = HashMap()
    for i in range(20):
        m[i] = i
    it = iter(m)
    next(it)
    del m[3]
    m[33] = 3
    with pytest.raises(RuntimeError, match=r"^HashMap keys changed during iteration$"):
        next(it)


def test_huge_and_negative_int_keys():
    m: HashMap[str] = HashMap()
    keys = [10**400, -(10**400), -1, 0, 2**64, -(2**63)]
    for k in keys:
        m[k] = str(k)
    assert sorted(m) == sorted(keys)
    assert all(m[k] == str(k) for k in keys)
    m._check_invariants()
