"""``HttpFake``: outbound httpx requests answered by fakes, recorded, and asserted on.

The ``http`` fixture routes every request an ``httpx`` client sends over the network
through respx (httpx's own mocking library), so code under test needs no change::

    http.fake({
        "api.github.com/users/*": {"login": "ada"},              # 200 with JSON
        "POST hooks.slack.com/*": httpx.Response(500),
        "*.example.test/*": lambda request: httpx.Response(204),
    })
    http.prevent_stray_requests()
    ...
    http.assert_sent(lambda r: r.url.path == "/users/ada" and r.method == "GET")

Patterns match the whole URL with ``*`` as a wildcard and an implicit ``*`` in front (so
the scheme need not be written), optionally preceded by a method. A response is an
``httpx.Response``, a JSON-able dict or list (200), a string (200 text), a status code, a
function of the request returning any of those, or :meth:`HttpFake.sequence`. Unmatched
requests go to the network unless :meth:`HttpFake.prevent_stray_requests` was called, or
``fake()`` was called with no patterns (every request then gets an empty 200). The test
client's requests to the application itself are never intercepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from foundry.testing.errors import StrayRequestError
from foundry.testing.expectations import expect_count, expect_none

__all__ = ["HttpFake", "RecordedRequest", "ResponseSequence"]

_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


class ResponseSequence:
    """Answers successive matching requests with successive responses.

    Args:
        responses: the answers in order (anything ``fake()`` accepts).
        when_empty: the answer once they are used up; None fails the request instead.
    """

    def __init__(self, *responses: Any, when_empty: Any = None) -> None:
        self._pending = list(responses)
        self._when_empty = when_empty

    def next(self, request: httpx.Request) -> Any:
        if self._pending:
            return self._pending.pop(0)
        if self._when_empty is not None:
            return self._when_empty
        raise StrayRequestError(
            f"{request.method} {request.url}: the response sequence for it is used up; "
            "add responses to http.sequence(...) or give it when_empty=..."
        )


@dataclass(frozen=True)
class _Fake:
    pattern: str
    method: str | None
    regex: re.Pattern[str]
    answer: Any

    def matches(self, request: httpx.Request) -> bool:
        if self.method is not None and request.method != self.method:
            return False
        return self.regex.fullmatch(str(request.url)) is not None


@dataclass(frozen=True)
class RecordedRequest:
    """A request the code under test sent, and how it was answered.

    Attributes:
        request: the ``httpx.Request`` (read ``.url``, ``.method``, ``.headers``,
            ``.content``).
        pattern: the fake pattern that answered it, None when it went to the network
            or was refused as a stray.
        stray: True when it was refused by :meth:`HttpFake.prevent_stray_requests`.
    """

    request: httpx.Request
    pattern: str | None
    stray: bool = False

    def label(self) -> str:
        how = f"faked by {self.pattern!r}" if self.pattern else "refused" if self.stray else "sent"
        return f"{self.request.method} {self.request.url} ({how})"


def url_pattern(pattern: str) -> re.Pattern[str]:
    """``api.github.com/*`` as a regular expression over the whole URL."""
    parts = [re.escape(part) for part in ("*" + pattern.lstrip("*")).split("*")]
    return re.compile(".*".join(parts))


def _split_method(pattern: str) -> tuple[str | None, str]:
    head, _, rest = pattern.strip().partition(" ")
    if rest and head.upper() in _METHODS:
        return head.upper(), rest.strip()
    return None, pattern.strip()


def to_response(answer: Any, request: httpx.Request) -> httpx.Response:
    """Turn what a fake answers with into an ``httpx.Response``.

    Raises:
        TypeError: the answer is none of the accepted kinds.
    """
    if isinstance(answer, ResponseSequence):
        return to_response(answer.next(request), request)
    if callable(answer) and not isinstance(answer, httpx.Response):
        return to_response(answer(request), request)
    if isinstance(answer, httpx.Response):
        return answer
    if isinstance(answer, bool):
        raise TypeError(f"{answer!r} is not a response")
    if isinstance(answer, int):
        return httpx.Response(answer)
    if isinstance(answer, str):
        return httpx.Response(200, text=answer)
    if isinstance(answer, dict | list):
        return httpx.Response(200, json=answer)
    if answer is None:
        return httpx.Response(200)
    raise TypeError(
        f"Cannot answer {request.method} {request.url} with {answer!r}: give an "
        "httpx.Response, a dict or list (JSON), a string, a status code or a function."
    )


class HttpFake:
    """Fakes outbound httpx traffic for one test; :meth:`start` and :meth:`stop` bracket it."""

    def __init__(self) -> None:
        import respx

        self._router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True)
        self._router.route().side_effect = self._answer
        self._fakes: list[_Fake] = []
        self._fake_everything = False
        self._prevent_strays = False
        self.recorded: list[RecordedRequest] = []

    def start(self) -> None:
        self._router.start()

    def stop(self) -> None:
        self._router.stop()

    def fake(self, responses: Mapping[str, Any] | None = None) -> HttpFake:
        """Answer requests whose URL matches a pattern; earlier patterns win.

        With no patterns (``http.fake()``) every request gets an empty ``200``.
        """
        if not responses:
            self._fake_everything = True
            return self
        for pattern, answer in responses.items():
            method, url = _split_method(pattern)
            self._fakes.append(_Fake(pattern, method, url_pattern(url), answer))
        return self

    @staticmethod
    def sequence(*responses: Any, when_empty: Any = None) -> ResponseSequence:
        """Successive answers for one pattern (see :class:`ResponseSequence`)."""
        return ResponseSequence(*responses, when_empty=when_empty)

    def prevent_stray_requests(self, prevent: bool = True) -> HttpFake:
        """Refuse requests no pattern matches with :class:`StrayRequestError`."""
        self._prevent_strays = prevent
        return self

    def allow_stray_requests(self) -> HttpFake:
        return self.prevent_stray_requests(False)

    def _answer(self, request: httpx.Request) -> httpx.Response | httpx.Request:
        for fake in self._fakes:
            if fake.matches(request):
                self.recorded.append(RecordedRequest(request, fake.pattern))
                return to_response(fake.answer, request)
        if self._fake_everything:
            self.recorded.append(RecordedRequest(request, "*"))
            return httpx.Response(200)
        if self._prevent_strays:
            self.recorded.append(RecordedRequest(request, None, stray=True))
            patterns = ", ".join(repr(f.pattern) for f in self._fakes) or "none"
            raise StrayRequestError(
                f"Stray request {request.method} {request.url}: no fake matches it "
                f"(patterns: {patterns}) and stray requests are prevented. Add a pattern "
                "with http.fake({...}) or call http.allow_stray_requests()."
            )
        self.recorded.append(RecordedRequest(request, None))
        return request  # respx passes a returned request through to the network

    # --- reading and asserting ----------------------------------------------------------

    def sent(
        self, predicate: Callable[[httpx.Request], bool] | str | None = None
    ) -> list[httpx.Request]:
        """The requests sent (faked or not; refused strays excluded) that match
        ``predicate``: a function of the request, or a URL pattern like ``fake()``'s."""
        test = _request_test(predicate)
        return [r.request for r in self.recorded if not r.stray and test(r.request)]

    def _labels(self) -> list[str]:
        return [r.label() for r in self.recorded]

    def assert_sent(
        self,
        predicate: Callable[[httpx.Request], bool] | str,
        *,
        count: int | None = None,
    ) -> list[httpx.Request]:
        """Fail unless a matching request was sent (``count`` times, when given)."""
        __tracebackhide__ = True
        matches = self.sent(predicate)
        expect_count(_subject(predicate), matches, count, "sent", self._labels())
        return matches

    def assert_not_sent(self, predicate: Callable[[httpx.Request], bool] | str) -> None:
        """Fail when a matching request was sent."""
        __tracebackhide__ = True
        expect_none(_subject(predicate), self.sent(predicate), "sent", self._labels())

    def assert_nothing_sent(self) -> None:
        """Fail when any request was sent."""
        __tracebackhide__ = True
        expect_none("any request", self.sent(), "sent", self._labels())

    def assert_sent_count(self, count: int) -> None:
        """Fail unless exactly ``count`` requests were sent."""
        __tracebackhide__ = True
        expect_count("a request", self.sent(), count, "sent", self._labels())

    def __repr__(self) -> str:
        return f"<HttpFake {len(self._fakes)} pattern(s), {len(self.recorded)} request(s)>"


def _request_test(
    predicate: Callable[[httpx.Request], bool] | str | None,
) -> Callable[[httpx.Request], bool]:
    if predicate is None:
        return lambda request: True
    if isinstance(predicate, str):
        method, url = _split_method(predicate)
        regex = url_pattern(url)
        return lambda request: (
            (method is None or request.method == method) and bool(regex.fullmatch(str(request.url)))
        )
    return lambda request: bool(predicate(request))


def _subject(predicate: Callable[..., Any] | str | Iterable[Any]) -> str:
    if isinstance(predicate, str):
        return f"a request to {predicate!r}"
    return f"a request matching {getattr(predicate, '__qualname__', repr(predicate))}"
