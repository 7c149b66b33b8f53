"""/pets: the caller's virtual pets, shown with the seed's ``state`` object."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT
from msgspec import UNSET

from service.db.queries import Connection
from service.errors import NotFound
from service.http.deps import Conn, CurrentCaller, IfMatch
from service.http.etag import Stale
from service.http.pagination import Cursor, Limit, Page, decode_cursor, page
from service.http.patch import given
from service.quest import repo
from service.quest.models import Pet, PetCreate, PetPatch, PetStatePatch

NOT_FOUND = "pet not found"


async def _missing_or_stale(conn: Connection, user_id: UUID, pet_id: UUID, if_match: list[int] | None) -> Exception:
    """A conditional write that wrote nothing: 412 with the pet as GET shows it, or 404."""
    row = await repo.get_pet(conn, user_id, pet_id) if if_match is not None else None
    return NotFound(NOT_FOUND) if row is None else Stale(Pet.from_row(row))


class PetController(Controller):
    path = "/pets"
    tags = ["quest"]

    @get("", summary="The caller's pets, oldest first")
    async def list_pets(self, conn: Conn, caller: CurrentCaller, limit: Limit = 50,
                        after: Cursor = None) -> Page[Pet]:
        key = decode_cursor(after, tuple[datetime, UUID], "after")
        rows = await repo.list_pets(conn, caller.id, *(key or (None, None)), limit + 1)
        result = page(rows, limit, lambda row: (row.created_at, row.id))
        return Page(items=[Pet.from_row(row) for row in result.items], next_cursor=result.next_cursor)

    @post("", summary="Adopt a pet (level 1, xp 0; energy, hunger and traits may be given)")
    async def create_pet(self, conn: Conn, caller: CurrentCaller, data: JSONBody[PetCreate]) -> Pet:
        row = await repo.insert_pet(conn, caller.id, data.name, data.species, data.state.energy,
                                    data.state.hunger, data.state.traits)
        return Pet.from_row(row)

    @get("/{pet_id:uuid}", summary="One pet")
    async def get_pet(self, conn: Conn, caller: CurrentCaller, pet_id: FromPath[UUID]) -> Pet:
        row = await repo.get_pet(conn, caller.id, pet_id)
        if row is None:
            raise NotFound(NOT_FOUND)
        return Pet.from_row(row)

    @patch("/{pet_id:uuid}", summary="Rename, feed or rest a pet (energy, hunger 0..100; traits replaced)")
    async def update_pet(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, pet_id: FromPath[UUID],
                         data: JSONBody[PetPatch]) -> Pet:
        state = data.state if data.state is not UNSET else PetStatePatch()
        row = await repo.update_pet(conn, caller.id, pet_id, *given(data.name), *given(data.species),
                                    *given(state.energy), *given(state.hunger), *given(state.traits), if_match)
        if row is None:
            raise await _missing_or_stale(conn, caller.id, pet_id, if_match)
        return Pet.from_row(row)

    @delete("/{pet_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Release a pet")
    async def delete_pet(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, pet_id: FromPath[UUID]) -> None:
        if await repo.delete_pet(conn, caller.id, pet_id, if_match) is None:
            raise await _missing_or_stale(conn, caller.id, pet_id, if_match)
