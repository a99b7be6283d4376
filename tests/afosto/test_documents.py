"""Every GraphQL document the client sends is valid against the contract schema."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import graphql
import pytest

from tui_pos.afosto import documents

SCHEMA_TEXT = resources.files("tui_pos.sim").joinpath("schema.graphql").read_text()
CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "afosto-api.md"


@pytest.mark.parametrize("name", sorted(documents.ALL_DOCUMENTS))
def test_document_is_valid_against_the_contract_schema(name: str) -> None:
    schema = graphql.build_schema(SCHEMA_TEXT)
    document = graphql.parse(documents.ALL_DOCUMENTS[name])
    assert graphql.validate(schema, document) == []
    operations = [d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode)]
    assert [op.name.value for op in operations if op.name] == [name]


def test_a_misspelled_field_would_fail() -> None:
    schema = graphql.build_schema(SCHEMA_TEXT)
    broken = documents.GET_ORDER.replace("is_online", "isOnline")
    assert graphql.validate(schema, graphql.parse(broken))


@pytest.mark.skipif(not CONTRACT.exists(), reason="shared/afosto-api.md is not beside this clone")
def test_schema_file_is_the_contract_verbatim() -> None:
    block = re.search(r"```graphql\n(.*?)```", CONTRACT.read_text(), re.S)
    assert block is not None
    assert block.group(1) in SCHEMA_TEXT
