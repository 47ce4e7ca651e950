"""Servers for the api-design tests: each on 127.0.0.1, port 0, stopped after the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from studybook.senior.api_design.bookshop import Bookshop
from studybook.senior.api_design.rest import RestServer


@pytest.fixture
def shop() -> Bookshop:
    return Bookshop.sample(books=25, authors=4)


@pytest.fixture
def rest(shop: Bookshop) -> Iterator[RestServer]:
    with RestServer(shop) as srv:
        yield srv
