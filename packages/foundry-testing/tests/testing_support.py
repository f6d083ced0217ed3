"""A small Foundry application written into a temporary folder for pytester runs.

It has what the plugin must handle in a real app: a ``[tool.foundry]`` pyproject, models in
``app/models``, a hand-written migration of the ``app`` branch, a factory in
``database/factories`` built on foundry-infra's ``Factory``, a provider adding routes (one
protected by a token ability) and an event listener, a job, an event and a command.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

FILES: dict[str, str] = {
    "pyproject.toml": """
        [project]
        name = "sample-app"
        version = "0.1.0"

        [tool.foundry]
        providers = ["app.providers:SampleServiceProvider"]

        [tool.pytest.ini_options]
        asyncio_mode = "auto"
        asyncio_default_fixture_loop_scope = "function"
        addopts = "-p no:cacheprovider"
    """,
    "app/__init__.py": "",
    "app/models/__init__.py": "",
    "app/models/post.py": """
        from __future__ import annotations

        from datetime import datetime

        from sqlmodel import Field, SQLModel

        from foundry.domain.clock import utcnow
        from foundry.domain.sql import UTCDateTime


        class Author(SQLModel, table=True):
            __tablename__ = "authors"

            id: int | None = Field(default=None, primary_key=True)
            name: str = Field(max_length=100)
            email: str = Field(max_length=200, unique=True)

            @property
            def auth_identifier(self) -> str:
                return str(self.id)


        class Post(SQLModel, table=True):
            __tablename__ = "posts"

            id: int | None = Field(default=None, primary_key=True)
            title: str = Field(max_length=100)
            body: str | None = None
            author_id: int = Field(foreign_key="authors.id")
            created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    """,
    "database/migrations/2025_01_01_000000_create_authors_and_posts.py": '''
        """create authors and posts"""

        import sqlalchemy as sa
        from alembic import op

        revision = "5a3e1f0c9d21"
        down_revision = None
        branch_labels = ("app",)
        depends_on = None


        def upgrade() -> None:
            op.create_table(
                "authors",
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("name", sa.String(100), nullable=False),
                sa.Column("email", sa.String(200), nullable=False, unique=True),
            )
            op.create_table(
                "posts",
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("title", sa.String(100), nullable=False),
                sa.Column("body", sa.Text(), nullable=True),
                sa.Column("author_id", sa.Integer(), sa.ForeignKey("authors.id"), nullable=False),
                sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            )


        def downgrade() -> None:
            op.drop_table("posts")
            op.drop_table("authors")
    ''',
    "database/factories/author_factory.py": """
        from __future__ import annotations

        from typing import Any

        from foundry.infra import Factory

        from app.models.post import Author


        class AuthorFactory(Factory[Author]):
            model = Author

            def definition(self) -> dict[str, Any]:
                return {"name": f"Author {self.sequence}"}
    """,
    "app/events.py": """
        from __future__ import annotations

        from dataclasses import dataclass

        from foundry.domain.events import Event

        DELIVERED: list[int] = []


        @dataclass(frozen=True)
        class PostShipped(Event):
            post_id: int


        def record_shipment(event: PostShipped) -> None:
            DELIVERED.append(event.post_id)
    """,
    "app/jobs.py": """
        from __future__ import annotations

        from dataclasses import dataclass

        from foundry.domain.database import Database
        from foundry.domain.queue import Job

        from app.models.post import Post


        @dataclass
        class PublishPost(Job):
            post_id: int
            queue = "posts"

            async def handle(self, database: Database) -> None:
                async with database.session() as session:
                    post = await session.get(Post, self.post_id)
                    post.title = post.title + " (published)"
    """,
    "app/commands/__init__.py": "",
    "app/commands/posts.py": """
        from __future__ import annotations

        from sqlmodel import func, select

        from foundry.domain.commands import Command, CommandContext, CommandResult, Option
        from foundry.domain.database import Database

        from app.models.post import Post


        class CountPosts(Command):
            name = "posts:count"
            summary = "Count the posts"
            options = (Option("title", "Only posts with this title"),)

            async def handle(self, ctx: CommandContext) -> CommandResult:
                query = select(func.count()).select_from(Post)
                if ctx.option("title"):
                    query = query.where(Post.title == ctx.option("title"))
                async with ctx.app.make(Database).session() as session:
                    total = (await session.exec(query)).one()
                ctx.output.line(f"{total} post(s)")
                return CommandResult.success(data={"posts": total})
    """,
    "app/providers.py": """
        from __future__ import annotations

        from typing import Any

        from foundry.domain.events import EventDispatcher
        from foundry.domain.provider import ServiceProvider


        class SampleServiceProvider(ServiceProvider):
            name = "sample-app"

            def boot(self, app: Any) -> None:
                from app.events import PostShipped, record_shipment

                app.make(EventDispatcher).listen(PostShipped, record_shipment)

            def routes(self, app: Any) -> list[Any]:
                from app.routes import build_router

                return [build_router(app)]
    """,
    "app/routes.py": """
        from __future__ import annotations

        from typing import Any

        import httpx
        from fastapi import APIRouter, Request
        from fastapi.responses import RedirectResponse
        from pydantic import BaseModel
        from sqlmodel import select

        from foundry.api.auth import require_ability
        from foundry.domain.clock import Clock
        from foundry.domain.events import EventDispatcher
        from foundry.domain.mail import Address, Mailer, Message
        from foundry.domain.queue import QueueDispatcher
        from foundry.infra.http import DbSession

        from app.events import PostShipped
        from app.jobs import PublishPost
        from app.models.post import Post


        class PostIn(BaseModel):
            title: str
            author_id: int


        class Welcome(BaseModel):
            email: str


        def build_router(app: Any) -> APIRouter:
            router = APIRouter()

            @router.post("/posts", status_code=201)
            async def create(data: PostIn, session: DbSession) -> dict[str, Any]:
                post = Post(title=data.title, author_id=data.author_id)
                session.add(post)
                await session.commit()
                return {"data": {"id": post.id, "title": post.title}}

            @router.get("/posts")
            async def index(session: DbSession) -> dict[str, Any]:
                rows = (await session.exec(select(Post).order_by(Post.id))).all()
                return {"data": {"items": [{"id": p.id, "title": p.title} for p in rows]}}

            @router.get("/me", dependencies=[require_ability(app, "posts:read")])
            async def me(request: Request) -> dict[str, Any]:
                grant = request.state.access_token
                return {"user_id": grant.user_id, "abilities": sorted(grant.abilities)}

            @router.post("/welcome")
            async def welcome(data: Welcome) -> dict[str, str]:
                message = Message(subject="Welcome!", to=[Address(data.email)], text="Hi")
                await app.make(Mailer).send(message)
                await app.make(Mailer).mailer("marketing").queue(message, queue="mail")
                return {"status": "sent"}

            @router.post("/posts/{post_id}/publish", status_code=202)
            async def publish(post_id: int) -> dict[str, str]:
                job_id = await app.make(QueueDispatcher).dispatch(PublishPost(post_id))
                return {"job": job_id}

            @router.post("/posts/{post_id}/ship")
            async def ship(post_id: int) -> dict[str, bool]:
                await app.make(EventDispatcher).dispatch(PostShipped(post_id))
                return {"shipped": True}

            @router.get("/now")
            async def now() -> dict[str, str]:
                return {"now": app.make(Clock).now().isoformat()}

            @router.get("/github/{user}")
            async def github(user: str) -> Any:
                async with httpx.AsyncClient() as client:
                    response = await client.get(f"https://api.github.com/users/{user}")
                return {"status": response.status_code, "body": response.json()}

            @router.get("/old-home")
            async def old_home() -> RedirectResponse:
                return RedirectResponse("/home", status_code=301)

            return router
    """,
}


def write_sample_app(root: Path) -> Path:
    """Write the sample application into ``root``; returns ``root``."""
    for relative, content in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"))
    return root
