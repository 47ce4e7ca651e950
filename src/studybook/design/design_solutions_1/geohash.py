"""Geohash: a point on Earth as a short string whose prefixes are ever larger cells.

Gustavo Niemeyer's geohash (2008, geohash.org, public domain) bisects the
longitude range [-180, 180] and the latitude range [-90, 90] in turn,
longitude first, writing 1 for the upper half and 0 for the lower, and packs
the bits five at a time into the base-32 alphabet ``0-9 b-z`` without
``a i l o``. The bit string interleaves the two coordinates, so it follows a
Z-order (Morton) curve; a longer code is a smaller cell inside the shorter
code's cell, which makes "points near here" a prefix scan on a sorted index.

Invariant: ``geohash_encode(*geohash_decode(c), len(c)) == c`` for every
valid code ``c``, and the encoded point lies inside the decoded cell.

==================  ==========================  =====
function            returns                     cost
==================  ==========================  =====
geohash_encode      the code of a point         O(p)
geohash_decode      the cell's centre           O(p)
geohash_bounds      the cell's rectangle        O(p)
geohash_neighbors   the 8 cells around a cell   O(p)
==================  ==========================  =====

>>> geohash_encode(42.6, -5.6, 5)
'ezs42'

Primary source: G. Niemeyer, geohash.org (2008); the ``ezs42`` and
``u4pruydqqvj`` examples are the ones published there and on Wikipedia.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from studybook._validate import check_int, check_real, check_str

__all__ = [
    "BASE32",
    "EARTH_RADIUS_KM",
    "MAX_PRECISION",
    "Cell",
    "geohash_bounds",
    "geohash_decode",
    "geohash_encode",
    "geohash_neighbors",
    "haversine_km",
]

#: The geohash alphabet, the digits and lower-case letters without a, i, l and o.
BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"
#: 12 characters are 60 bits (30 per axis), cells of about 3.7 cm x 1.9 cm at the equator.
MAX_PRECISION = 12
_INDEX = {ch: i for i, ch in enumerate(BASE32)}


class Cell(NamedTuple):
    """The rectangle a geohash stands for, in degrees (south, west, north, east)."""

    south: float
    west: float
    north: float
    east: float

    @property
    def centre(self) -> tuple[float, float]:
        """``(latitude, longitude)`` of the middle of the cell."""
        return ((self.south + self.north) / 2, (self.west + self.east) / 2)


def geohash_encode(latitude: float, longitude: float, precision: int = 12) -> str:
    """Return the geohash of a point, ``precision`` characters long.

    A coordinate exactly on a split line goes to the upper (east or north)
    half, so 90 and 180 are valid and land in the last cell.

    Args:
        latitude: degrees in [-90, 90].
        longitude: degrees in [-180, 180].
        precision: number of characters, 1 to 12.

    Returns:
        The code, in lower case.

    Raises:
        ValueError: a coordinate out of range, NaN or infinite; precision out of range.
        TypeError: a coordinate that is not a number, a precision that is not an int.

    Complexity: O(precision).

    >>> geohash_encode(57.64911, 10.40744, 11)
    'u4pruydqqvj'
    >>> geohash_encode(0, 0, 1), geohash_encode(90, 180, 2)
    ('s', 'zz')
    >>> geohash_encode(91, 0)
    Traceback (most recent call last):
        ...
    ValueError: latitude must be a finite number in [-90, 90], got 91
    """
    lat = check_real(latitude, "latitude", low=-90, high=90)
    lon = check_real(longitude, "longitude", low=-180, high=180)
    check_int(precision, "precision", minimum=1, maximum=MAX_PRECISION)
    lat_lo, lat_hi, lon_lo, lon_hi = -90.0, 90.0, -180.0, 180.0
    chars = []
    bit_index = 0  # even bits refine longitude, odd bits latitude
    for _ in range(precision):
        value = 0
        for _ in range(5):
            if bit_index % 2 == 0:
                mid = (lon_lo + lon_hi) / 2
                upper = lon >= mid
                lon_lo, lon_hi = (mid, lon_hi) if upper else (lon_lo, mid)
            else:
                mid = (lat_lo + lat_hi) / 2
                upper = lat >= mid
                lat_lo, lat_hi = (mid, lat_hi) if upper else (lat_lo, mid)
            value = (value << 1) | upper
            bit_index += 1
        chars.append(BASE32[value])
    return "".join(chars)


def geohash_decode(code: str) -> tuple[float, float]:
    """Return ``(latitude, longitude)`` of the centre of the cell ``code`` names.

    The centre is the best single point: it is at most half a cell from every
    point that encodes to ``code``. Upper-case input is accepted.

    Args:
        code: 1 to 12 characters of the geohash alphabet.

    Returns:
        The centre of the cell, in degrees.

    Raises:
        ValueError: empty, longer than 12, or a character outside the alphabet.
        TypeError: not a str.

    Complexity: O(len(code)).

    >>> geohash_decode("ezs42")
    (42.60498046875, -5.60302734375)
    >>> geohash_decode("s")
    (22.5, 22.5)
    >>> geohash_decode("ezs4a")
    Traceback (most recent call last):
        ...
    ValueError: 'a' at index 4 is not a geohash character (0-9, b-z without i, l, o): 'ezs4a'
    """
    return geohash_bounds(code).centre


def geohash_bounds(code: str) -> Cell:
    """Return the rectangle (south, west, north, east) that ``code`` names.

    Raises:
        ValueError: empty, longer than 12, or a character outside the alphabet.
        TypeError: not a str.

    Complexity: O(len(code)).

    >>> geohash_bounds("ezs42")
    Cell(south=42.5830078125, west=-5.625, north=42.626953125, east=-5.5810546875)
    >>> geohash_bounds("")
    Traceback (most recent call last):
        ...
    ValueError: code must be 1 to 12 characters long, got ''
    """
    check_str(code, "code")
    if not 1 <= len(code) <= MAX_PRECISION:
        raise ValueError(f"code must be 1 to {MAX_PRECISION} characters long, got {code!r}")
    lat_lo, lat_hi, lon_lo, lon_hi = -90.0, 90.0, -180.0, 180.0
    bit_index = 0
    for position, ch in enumerate(code):
        # ASCII only: str.lower() maps the Kelvin sign U+212A to 'k', which is no geohash.
        value = _INDEX.get(ch.lower()) if ch.isascii() else None
        if value is None:
            raise ValueError(
                f"{ch!r} at index {position} is not a geohash character "
                f"(0-9, b-z without i, l, o): {code!r}"
            )
        for shift in range(4, -1, -1):
            upper = (value >> shift) & 1
            if bit_index % 2 == 0:
                mid = (lon_lo + lon_hi) / 2
                lon_lo, lon_hi = (mid, lon_hi) if upper else (lon_lo, mid)
            else:
                mid = (lat_lo + lat_hi) / 2
                lat_lo, lat_hi = (mid, lat_hi) if upper else (lat_lo, mid)
            bit_index += 1
    return Cell(lat_lo, lon_lo, lat_hi, lon_hi)


def geohash_neighbors(code: str) -> list[str]:
    """Return the codes of the cells around ``code``: N, NE, E, SE, S, SW, W, NW.

    A proximity search must scan these too, because a point near the edge of
    its cell can be closer to points in the next cell (which may share no
    prefix at all) than to most of its own. Longitude wraps at the
    antimeridian; at a pole the cells beyond it do not exist and are left out.

    Raises:
        ValueError, TypeError: as :func:`geohash_bounds`.

    Complexity: O(len(code)).

    >>> geohash_neighbors("ezs42")
    ['ezs48', 'ezs49', 'ezs43', 'ezs41', 'ezs40', 'ezefp', 'ezefr', 'ezefx']
    >>> geohash_neighbors("b")  # touches the north pole: no N, NE, NW
    ['c', '9', '8', 'x', 'z']
    """
    cell = geohash_bounds(code)
    lat, lon = cell.centre
    height, width = cell.north - cell.south, cell.east - cell.west
    steps = [(1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1)]
    found = []
    for dlat, dlon in steps:
        nlat = lat + dlat * height
        if not -90 < nlat < 90:
            continue
        nlon = (lon + dlon * width + 180) % 360 - 180
        found.append(geohash_encode(nlat, nlon, len(code)))
    return found


#: Mean Earth radius in km (IUGG), the usual choice for the haversine formula.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points on a sphere of Earth's mean radius.

    Raises:
        ValueError, TypeError: a coordinate out of range, NaN, infinite or not a number.

    Complexity: O(1).

    >>> round(haversine_km(51.5074, -0.1278, 48.8566, 2.3522))  # London to Paris
    344
    >>> haversine_km(0, 0, 0, 0)
    0.0
    """
    p1 = math.radians(check_real(lat1, "lat1", low=-90, high=90))
    p2 = math.radians(check_real(lat2, "lat2", low=-90, high=90))
    dp = p2 - p1
    dl = math.radians(
        check_real(lon2, "lon2", low=-180, high=180) - check_real(lon1, "lon1", low=-180, high=180)
    )
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
