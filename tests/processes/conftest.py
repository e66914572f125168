from __future__ import annotations

import pytest
from flask import Flask


@pytest.fixture
def ctx(app: Flask):
    with app.app_context():
        yield app
