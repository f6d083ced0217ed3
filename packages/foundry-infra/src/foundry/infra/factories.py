"""Model factories: build (and insert) rows with sensible values, for seeders and tests.

``make:model Post --factory`` writes ``database/factories/post_factory.py``::

    class PostFactory(Factory[Post]):
        model = Post

        def definition(self) -> dict[str, Any]:
            return {"title": f"Post {self.sequence}"}

    post = PostFactory().make(title="Hello")             # not saved
    posts = await PostFactory().create_many(session, 3)  # added and flushed
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

__all__ = ["Factory"]

M = TypeVar("M")


class Factory(ABC, Generic[M]):
    """Builds instances of ``model`` from :meth:`definition` plus overrides.

    ``self.sequence`` counts the instances this factory class has built (1, 2, 3 ...),
    which keeps unique columns unique: ``f"user{self.sequence}@example.test"``. A value
    in the definition may be a function taking no argument; it is called per instance.
    """

    model: ClassVar[type[Any]]
    _counters: ClassVar[dict[type[Any], itertools.count[int]]] = {}

    def __init__(self, **state: Any) -> None:
        self._state = state
        self.sequence = 0

    @abstractmethod
    def definition(self) -> dict[str, Any]:
        """The field values of one new instance (before overrides)."""

    def state(self, **values: Any) -> Factory[M]:
        """A copy of this factory whose instances also get ``values``."""
        return type(self)(**{**self._state, **values})

    def _next(self) -> int:
        counter = Factory._counters.setdefault(type(self), itertools.count(1))
        return next(counter)

    def make(self, **overrides: Any) -> M:
        """One instance, not saved."""
        self.sequence = self._next()
        values: dict[str, Any] = {**self.definition(), **self._state, **overrides}
        resolved = {
            key: value() if callable(value) and not isinstance(value, type) else value
            for key, value in values.items()
        }
        instance: M = self.model(**resolved)
        return instance

    def make_many(self, count: int, **overrides: Any) -> list[M]:
        """``count`` instances, not saved."""
        return [self.make(**overrides) for _ in range(count)]

    async def create(self, session: AsyncSession, **overrides: Any) -> M:
        """One instance, added to ``session`` and flushed (so it has its primary key)."""
        instance = self.make(**overrides)
        session.add(instance)
        await session.flush()
        return instance

    async def create_many(self, session: AsyncSession, count: int, **overrides: Any) -> list[M]:
        """``count`` instances, added and flushed together."""
        instances = self.make_many(count, **overrides)
        session.add_all(instances)
        await session.flush()
        return instances

    @classmethod
    def reset_sequence(cls) -> None:
        """Start ``sequence`` again at 1 (tests that compare generated values)."""
        Factory._counters.pop(cls, None)
