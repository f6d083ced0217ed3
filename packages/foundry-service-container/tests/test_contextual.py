"""when(Consumer).needs(Abstract).give(...)."""

from __future__ import annotations

from typing import Protocol

import pytest

from foundry.domain.errors import BindingResolutionError, ConfigurationError


class Disk(Protocol):
    name: str


class LocalDisk:
    name = "local"


class S3Disk:
    name = "s3"


class PhotoController:
    def __init__(self, disk: Disk) -> None:
        self.disk = disk


class VideoController:
    def __init__(self, disk: Disk) -> None:
        self.disk = disk


class Uploader:
    def __init__(self, bucket: str, disk: Disk | None = None) -> None:
        self.bucket, self.disk = bucket, disk


class Callable_:
    def __call__(self) -> str:
        return "called"


class WantsHandler:
    def __init__(self, handler: Callable_) -> None:
        self.handler = handler


def test_consumer_gets_the_contextual_class_others_the_binding(container):
    container.bind(Disk, LocalDisk)
    container.when(PhotoController).needs(Disk).give(S3Disk)
    assert container.make(PhotoController).disk.name == "s3"
    assert container.make(VideoController).disk.name == "local"


def test_give_a_factory_called_with_the_container(container):
    seen = []
    container.when(PhotoController).needs(Disk).give(lambda c: seen.append(c) or S3Disk())
    assert container.make(PhotoController).disk.name == "s3"
    assert seen == [container]


def test_give_an_instance_hands_it_over(container):
    disk = S3Disk()
    container.when(PhotoController).needs(Disk).give(disk)
    assert container.make(PhotoController).disk is disk


def test_callable_objects_are_given_as_instances(container):
    handler = Callable_()
    container.when(WantsHandler).needs(Callable_).give(handler)
    assert container.make(WantsHandler).handler is handler


def test_give_a_class_respects_its_own_binding(container):
    container.singleton(S3Disk)
    container.when(PhotoController).needs(Disk).give(S3Disk)
    assert container.make(PhotoController).disk is container.make(S3Disk)


def test_primitive_parameters_are_given_by_dollar_name(container):
    container.when(Uploader).needs("$bucket").give("photos")
    assert container.make(Uploader).bucket == "photos"


def test_contextual_binding_counts_as_bound_for_optional_parameters(container):
    container.when(Uploader).needs("$bucket").give("b")
    assert container.make(Uploader).disk is None
    container.when(Uploader).needs(Disk).give(LocalDisk)
    assert container.make(Uploader).disk.name == "local"


def test_explicit_parameters_win_over_contextual_bindings(container):
    container.when(Uploader).needs("$bucket").give("photos")
    assert container.make(Uploader, bucket="videos").bucket == "videos"


def test_contextual_need_matches_through_aliases(container):
    container.alias(Disk, "disk")
    container.when(PhotoController).needs("disk").give(S3Disk)
    assert container.make(PhotoController).disk.name == "s3"


def test_give_before_needs_is_refused(container):
    builder = container.when(PhotoController)
    with pytest.raises(ConfigurationError, match="without needs"):
        builder.give(S3Disk)


def test_when_takes_a_class(container):
    with pytest.raises(ConfigurationError, match="consumer class"):
        container.when("photo")  # type: ignore[arg-type]


def test_unbuildable_contextual_class_names_the_parameter(container):
    container.when(PhotoController).needs(Disk).give(Disk)
    with pytest.raises(BindingResolutionError, match='parameter "disk" of PhotoController'):
        container.make(PhotoController)
