"""Rows the linked-account SQL returns, and what clients send."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import Meta

from service.errors import describe_constraints
from service.http import json_size

Institution = Annotated[str, Meta(min_length=1, max_length=100)]
AccountName = Annotated[str, Meta(min_length=1, max_length=200)]
KnotItemId = Annotated[str, Meta(min_length=1, max_length=255)]
Permission = Annotated[str, Meta(min_length=1, max_length=100)]
Permissions = Annotated[list[Permission], Meta(max_length=50)]


class LinkedAccount(msgspec.Struct):
    id: UUID
    institution: str
    account_name: str
    permissions: list[Any]
    knot_item_id: str
    created_at: datetime
    updated_at: datetime
    version: int


class LinkedAccountCreate(msgspec.Struct, forbid_unknown_fields=True):
    institution: Institution
    account_name: AccountName
    knot_item_id: KnotItemId
    permissions: Permissions = msgspec.field(default_factory=list)

    def __post_init__(self) -> None:
        json_size.check("permissions", self.permissions, json_size.PERMISSIONS_MAX)


describe_constraints({
    "linked_accounts_knot_item_id_key": "this Knot item is already linked",
    "linked_accounts_institution_chk": "institution must be 1-100 characters",
    "linked_accounts_account_name_chk": "account_name must be 1-200 characters",
    "linked_accounts_knot_item_id_chk": "knot_item_id must be 1-255 characters",
    "linked_accounts_permissions_chk": "permissions must be a JSON array of strings",
    "linked_accounts_permissions_size_chk":
        f"permissions is too large (at most {json_size.PERMISSIONS_MAX} bytes as stored)",
    "linked_accounts_user_id_fkey": "the account no longer exists",
})
