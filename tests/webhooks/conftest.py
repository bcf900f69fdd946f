import pytest

from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver(app):
    server = Receiver().start()
    yield server
    server.stop()
