"""/categories: the caller's expense categories."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT
from msgspec import UNSET

from service.errors import Conflict, NotFound
from service.expenses import repo
from service.expenses.models import Category, CategoryCreate, CategoryPatch
from service.http.deps import Conn, CurrentCaller, IfMatch
from service.http.etag import missing_or_stale
from service.http.names import name_key
from service.http.pagination import Cursor, Limit, Page, decode_cursor, page
from service.http.patch import given

NOT_FOUND = "category not found"


class CategoryController(Controller):
    path = "/categories"
    tags = ["expenses"]

    @get("", summary="The caller's categories, by name")
    async def list_categories(self, conn: Conn, caller: CurrentCaller, limit: Limit = 100,
                              before: Cursor = None) -> Page[Category]:
        after = decode_cursor(before, tuple[str])
        rows = await repo.list_categories(conn, caller.id, after[0] if after else None, limit + 1)
        return page(rows, limit, lambda row: (row.name,))

    @post("", summary="Create a category (name unique per user, any case)")
    async def create_category(self, conn: Conn, caller: CurrentCaller, data: JSONBody[CategoryCreate]) -> Category:
        return await repo.insert_category(conn, caller.id, data.name, data.description, data.color, data.icon,
                                          name_key(data.name))

    @get("/{category_id:uuid}", summary="One category")
    async def get_category(self, conn: Conn, caller: CurrentCaller, category_id: FromPath[UUID]) -> Category:
        category = await repo.get_category(conn, caller.id, category_id)
        if category is None:
            raise NotFound(NOT_FOUND)
        return category

    @patch("/{category_id:uuid}", summary="Rename or restyle a category")
    async def update_category(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, category_id: FromPath[UUID],
                              data: JSONBody[CategoryPatch]) -> Category:
        category = await repo.update_category(conn, caller.id, category_id, *given(data.name),
                                              *given(data.description), *given(data.color), *given(data.icon),
                                              if_match, None if data.name is UNSET else name_key(data.name))
        if category is None:
            raise await missing_or_stale(if_match, repo.get_category(conn, caller.id, category_id), NOT_FOUND)
        return category

    @delete("/{category_id:uuid}", status_code=HTTP_204_NO_CONTENT,
            summary="Delete an unused category (its budgets go with it); 409 while expenses use it")
    async def delete_category(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch,
                              category_id: FromPath[UUID]) -> None:
        result = await repo.delete_category(conn, caller.id, category_id, if_match)
        if not result.found:
            raise NotFound(NOT_FOUND)
        if not result.deleted and result.expense_count == 0:  # unused, not deleted: at another version
            raise await missing_or_stale(if_match, repo.get_category(conn, caller.id, category_id), NOT_FOUND)
        if not result.deleted:
            n = result.expense_count
            raise Conflict(f"{n} expense{'s' if n != 1 else ''} still use{'s' if n == 1 else ''} this category; "
                           "move or delete them first", expense_count=n)
