"""The gql client for one tenant's Saleor API.

Every operation is a `.graphql` file in `operations/`, loaded by name and
validated against the real schema in a test. Queries are retried with backoff
on network errors and 5xx; mutations are not retried here, because a 5xx can
arrive after Saleor already acted: the exactly-once logic in goodwill/ decides
whether to look the object up or create it again.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache
from pathlib import Path

import requests
from gql import Client, GraphQLRequest
from gql.transport.exceptions import (
    TransportConnectionFailed,
    TransportProtocolError,
    TransportQueryError,
    TransportServerError,
)
from gql.transport.requests import RequestsHTTPTransport
from graphql import DocumentNode, OperationDefinitionNode, OperationType, parse

from saleor_cs_app.saleor.admission import Addresses
from saleor_cs_app.saleor.documents import with_fragments
from saleor_cs_app.saleor.outbound import guard

log = logging.getLogger(__name__)

OPERATIONS = Path(__file__).parent / "operations"


class SaleorError(Exception):
    """Anything that went wrong talking to Saleor."""


class SaleorUnavailable(SaleorError):
    """Network error, timeout or 5xx: worth retrying later."""


class SaleorRejected(SaleorError):
    """Saleor refused the request itself (4xx, invalid document): retrying will not help."""


class SaleorGraphQLError(SaleorError):
    """GraphQL `errors[]` in a 200 answer. Keeps the partial `data` Saleor returned."""

    def __init__(self, errors: list[dict], data: dict | None):
        self.errors = errors
        self.data = data
        super().__init__("; ".join(str(e.get("message", e)) for e in errors)[:500])

    @property
    def is_permission_denied(self) -> bool:
        """How an uninstalled app's token looks on Saleor < 3.23.5: it runs as anonymous."""
        return any(
            (e.get("extensions") or {}).get("exception", {}).get("code") == "PermissionDenied"
            or "permission" in str(e.get("message", "")).lower()
            for e in self.errors
        )


@lru_cache(maxsize=None)
def load_operation(name: str) -> DocumentNode:
    """Parse `operations/<name>.graphql` (with the fragments it spreads) once."""
    return parse(with_fragments((OPERATIONS / f"{name}.graphql").read_text()))


def operation_kind(name: str) -> OperationType:
    doc = load_operation(name)
    ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
    return ops[0].operation


class SaleorClient:
    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        timeout: float = 15.0,
        attempts: int = 3,
        backoff_seconds: float = 0.5,
        sleep=time.sleep,
        addresses: Addresses = Addresses.PUBLIC,
    ):
        self.api_url = api_url
        self._addresses = addresses
        self._token = token
        self._timeout = timeout
        self._attempts = attempts
        self._backoff = backoff_seconds
        self._sleep = sleep

    def __repr__(self) -> str:  # never show the token
        return f"SaleorClient({self.api_url!r})"

    def execute(self, name: str, variables: dict | None = None) -> dict:
        """Run operation `name`; return its data or raise a SaleorError subclass."""
        is_query = operation_kind(name) == OperationType.QUERY
        attempts = self._attempts if is_query else 1
        for attempt in range(1, attempts + 1):
            try:
                return self._execute_once(name, variables or {})
            except SaleorUnavailable:
                if attempt == attempts:
                    raise
                delay = self._backoff * 2 ** (attempt - 1)
                log.info("saleor unavailable, retrying", extra={"operation": name, "delay": delay})
                self._sleep(delay)
        raise AssertionError("unreachable")

    def _execute_once(self, name: str, variables: dict) -> dict:
        transport = _GuardedTransport(
            self._addresses,
            url=self.api_url,
            headers={"Authorization": f"Bearer {self._token}"},
            timeout=self._timeout,
            retries=0,
            verify=True,
        )
        client = Client(transport=transport, fetch_schema_from_transport=False)
        request = GraphQLRequest(load_operation(name), variable_values=variables)
        try:
            with client as session:
                return session.execute(request)
        except TransportQueryError as exc:
            raise SaleorGraphQLError(list(exc.errors or []), exc.data) from None
        except TransportServerError as exc:
            if exc.code is not None and exc.code >= 500:
                raise SaleorUnavailable(f"{name}: Saleor answered HTTP {exc.code}") from None
            raise SaleorRejected(f"{name}: Saleor answered HTTP {exc.code}") from None
        except (TransportConnectionFailed, requests.ConnectionError, requests.Timeout) as exc:
            raise SaleorUnavailable(f"{name}: {type(exc).__name__}") from None
        except TransportProtocolError as exc:
            raise SaleorRejected(f"{name}: unexpected answer ({exc})") from None


class _GuardedTransport(RequestsHTTPTransport):
    """gql's transport on a session that connects only to addresses the admission rule allows."""

    def __init__(self, addresses: Addresses, **kwargs):
        super().__init__(**kwargs)
        self._addresses = addresses

    def connect(self):
        super().connect()
        guard(self.session, self._addresses)
