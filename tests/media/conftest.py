from tests.flows.conftest import browser, people  # noqa: F401  (signed-in browsers and the usual people)
