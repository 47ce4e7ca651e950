"""Geohash against the published examples, and its round-trip and nesting properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.design.design_solutions_1 import (
    BASE32,
    geohash_bounds,
    geohash_decode,
    geohash_encode,
    geohash_neighbors,
    haversine_km,
)

latitudes = st.floats(min_value=-90, max_value=90, allow_nan=False)
longitudes = st.floats(min_value=-180, max_value=180, allow_nan=False)
precisions = st.integers(min_value=1, max_value=12)


@pytest.mark.parametrize(
    ("lat", "lon", "precision", "code"),
    [
        # Wikipedia "Geohash" and the python-geohash README: 42.6, -5.6 -> ezs42e44yx96.
        (42.6, -5.6, 12, "ezs42e44yx96"),
        (42.6, -5.6, 5, "ezs42"),
        # geohash.org's example (Jutland, Denmark), also in several libraries' test suites.
        (57.64911, 10.40744, 11, "u4pruydqqvj"),
        # Rosetta Code "Geohash" task: Wimbledon's Centre Court, 2 and 9 characters.
        (51.433718, -0.214126, 2, "gc"),
        (51.433718, -0.214126, 9, "gcpue5hp4"),
    ],
)
def test_encode_matches_published_examples(
    lat: float, lon: float, precision: int, code: str
) -> None:
    assert geohash_encode(lat, lon, precision) == code


def test_decode_matches_published_centres_and_error() -> None:
    # python-geohash decode_exactly("ezs42"): 42.60498046875, -5.60302734375, ±0.02197265625 each.
    assert geohash_decode("ezs42") == (42.60498046875, -5.60302734375)
    cell = geohash_bounds("ezs42")
    assert (cell.north - cell.south) / 2 == 0.02197265625
    assert (cell.east - cell.west) / 2 == 0.02197265625
    # dCode's worked example: dc0de -> +6.08642578125, -55.39306640625.
    assert geohash_decode("dc0de") == (6.08642578125, -55.39306640625)
    assert geohash_decode("EZS42") == geohash_decode("ezs42")


def test_first_character_splits_the_world_into_eight_by_four() -> None:
    # Bits 1-5: lon, lat, lon, lat, lon -> 8 columns of 45 degrees, 4 rows of 45 degrees.
    cells = {geohash_bounds(ch) for ch in BASE32}
    assert len(cells) == 32
    assert {c.east - c.west for c in cells} == {45.0}
    assert {c.north - c.south for c in cells} == {45.0}
    assert geohash_bounds("0") == (-90.0, -180.0, -45.0, -135.0)
    assert geohash_bounds("z") == (45.0, 135.0, 90.0, 180.0)


@given(latitudes, longitudes, precisions)
def test_the_point_lies_in_its_cell_and_the_centre_round_trips(
    lat: float, lon: float, precision: int
) -> None:
    code = geohash_encode(lat, lon, precision)
    assert len(code) == precision
    assert set(code) <= set(BASE32)
    cell = geohash_bounds(code)
    assert cell.south <= lat <= cell.north
    assert cell.west <= lon <= cell.east
    assert geohash_encode(*geohash_decode(code), precision) == code


@given(latitudes, longitudes, precisions)
def test_a_longer_code_is_a_cell_inside_the_shorter_one(
    lat: float, lon: float, precision: int
) -> None:
    code = geohash_encode(lat, lon, 12)
    assert geohash_encode(lat, lon, precision) == code[:precision]
    outer, inner = geohash_bounds(code[:precision]), geohash_bounds(code)
    assert outer.south <= inner.south <= inner.north <= outer.north
    assert outer.west <= inner.west <= inner.east <= outer.east


@given(st.text(alphabet=BASE32, min_size=1, max_size=12))
def test_every_valid_code_decodes_and_encodes_back(code: str) -> None:
    assert geohash_encode(*geohash_decode(code), len(code)) == code


@given(st.text(alphabet=BASE32, min_size=1, max_size=8))
def test_neighbours_touch_the_cell_and_have_the_same_size(code: str) -> None:
    cell = geohash_bounds(code)
    around = geohash_neighbors(code)
    assert code not in around
    assert len(set(around)) == len(around)
    for other in around:
        n = geohash_bounds(other)
        assert math.isclose(n.north - n.south, cell.north - cell.south)
        assert math.isclose(n.east - n.west, cell.east - cell.west)
        touches_lat = n.south == cell.north or n.north == cell.south or n.south == cell.south
        wraps = {n.west, n.east, cell.west, cell.east} >= {-180.0, 180.0}
        touches_lon = n.west == cell.east or n.east == cell.west or n.west == cell.west or wraps
        assert touches_lat
        assert touches_lon
    # Away from the poles there are always eight.
    if cell.south > -90 and cell.north < 90:
        assert len(around) == 8


def test_haversine_is_symmetric_and_quarter_meridian_is_right() -> None:
    assert haversine_km(0, 0, 10, 10) == haversine_km(10, 10, 0, 0)
    # Pole to equator on a sphere of the mean radius: pi/2 * 6371.0088 km.
    assert math.isclose(haversine_km(90, 0, 0, 0), math.pi / 2 * 6371.0088)
