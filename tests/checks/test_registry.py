"""One list of check kinds: the registry, the model table and the ``Check`` union agree."""

from __future__ import annotations

from typing import get_args

import standards.checks
import standards.model


def _union_kinds() -> set[str]:
    union = get_args(standards.model.Check)[0]  # Annotated[Union[...], Field(...)]
    kinds: set[str] = set()
    for model in get_args(union):
        kinds.update(get_args(model.model_fields["kind"].annotation))
    return kinds


def test_registry_model_table_and_union_name_the_same_kinds():
    registry = set(standards.checks.REGISTRY)
    table = set(standards.model.CHECK_KINDS)
    assert registry == table == _union_kinds()
    assert len(registry) == 15


def test_each_kind_maps_to_the_model_that_declares_it():
    for kind, model in standards.model.CHECK_KINDS.items():
        assert get_args(model.model_fields["kind"].annotation) == (kind,)
