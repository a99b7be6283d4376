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


OPERATIONS = {
    name: text
    for name, text in vars(documents).items()
    if name.isupper() and isinstance(text, str) and re.match(r"\s*(query|mutation) ", text)
}
"""Every operation the client sends: the module's documents (its fragments left out)."""


def test_every_operation_the_client_sends_is_checked() -> None:
    assert {"CREATE_ORDER", "GET_ORDER", "INVOICE_ITEMS"} <= set(OPERATIONS)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_document_is_valid_against_the_contract_schema(name: str) -> None:
    schema = graphql.build_schema(SCHEMA_TEXT)
    document = graphql.parse(OPERATIONS[name])
    assert graphql.validate(schema, document) == []
    operations = [d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode)]
    assert [op.name.value for op in operations if op.name] == [name.title().replace("_", "")]


def test_a_misspelled_field_would_fail() -> None:
    schema = graphql.build_schema(SCHEMA_TEXT)
    broken = documents.GET_ORDER.replace("is_online", "isOnline")
    assert graphql.validate(schema, graphql.parse(broken))


@pytest.mark.skipif(not CONTRACT.exists(), reason="shared/afosto-api.md is not beside this clone")
def test_schema_file_is_the_contract_verbatim() -> None:
    block = re.search(r"```graphql\n(.*?)```", CONTRACT.read_text(), re.S)
    assert block is not None
    assert block.group(1) in SCHEMA_TEXT
