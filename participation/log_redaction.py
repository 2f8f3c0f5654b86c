"""Keep the secrets that travel in links (reset, confirmation and unsubscribe tokens) out of the logs.

A link from a mail is a GET, and every GET is in the access log, which is kept longer and read
by more people than the mailbox. Mailed account links carry their token as the last path
segment (`/account/reset/<token>`, `/account/verify/<token>`); older mails and the unsubscribe
links carry it as `?token=`. The filter rewrites both to `[redacted]` before a log line is
formatted, so the path stays readable (which page, which status) and the secret does not.
`participation serve` and `demo` install it on the access logger of uvicorn (`log_config`) or of
granian (`log_dictconfig`).
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

REDACTED = "[redacted]"
_TOKEN_SEGMENT = re.compile(r"(/account/(?:reset|verify)/)(?!resend\b)[^/?#\s\"]+")
_TOKEN_QUERY = re.compile(r"([?&]token=)[^&#\s\"]*", re.IGNORECASE)


def redact(text: str) -> str:
    return _TOKEN_QUERY.sub(rf"\g<1>{REDACTED}", _TOKEN_SEGMENT.sub(rf"\g<1>{REDACTED}", text))


class RedactSecrets(logging.Filter):
    """Rewrites the message and its string arguments (uvicorn passes the path as one) in place."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict) and "path" in record.args:
            # granian's access record: only the path can hold a token. It logs the query apart from
            # the path: join them so `?token=` is found, and shown as uvicorn shows it.
            args = dict(record.args)
            if args.get("query_string"):
                args["path"] = f"{args['path']}?{args['query_string']}"
                args["query_string"] = ""
            args["path"] = redact(args["path"])
            record.args = args
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's own logging configuration with the filter on the access log (every worker applies it)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_secrets"] = {"()": "participation.log_redaction.RedactSecrets"}
    config["loggers"]["uvicorn.access"]["filters"] = ["redact_secrets"]
    config["handlers"]["access"]["filters"] = ["redact_secrets"]
    return config


# uvicorn's access line (client, request line with the query, status), so logs read the same under either server.
GRANIAN_ACCESS_FORMAT = '%(addr)s - "%(method)s %(path)s %(protocol)s" %(status)d'


def granian_log_config() -> dict[str, Any]:
    """granian's own logging configuration with the filter on its access log."""
    from granian.log import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_secrets"] = {"()": "participation.log_redaction.RedactSecrets"}
    config["loggers"]["granian.access"]["filters"] = ["redact_secrets"]
    config["handlers"]["access"]["filters"] = ["redact_secrets"]
    return config
