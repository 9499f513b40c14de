import pytest

from funding import demo as funding_demo


@pytest.fixture
def demo_funding(demo_hubs):
    funding_demo.load()
    return demo_hubs
