"""``python -m service apps create|list|rotate|revoke``: app clients from the command line.

The secret is printed once, by create and rotate; only its argon2id hash is stored.
Every command is one transaction with its audit row.
"""

from __future__ import annotations

import argparse
from typing import Any

import asyncpg

from service.accounts.passwords import Passwords
from service.apps import logic, repo
from service.apps.models import ASSISTANT_SCOPE, KNOWN_SCOPES, AppClient
from service.config import Settings
from service.errors import DomainError, from_postgres

DEFAULT_GRACE_S = 24 * 3600


def add_parser(sub: Any) -> None:
    apps = sub.add_parser("apps", help="app credentials (OAuth2 client-credentials clients for the apps' backends)")
    appsub = apps.add_subparsers(dest="apps_command", required=True)
    create = appsub.add_parser("create", help="create an app client; prints its id and secret once")
    create.add_argument("name")
    create.add_argument("--scope", action="append", choices=sorted(KNOWN_SCOPES), default=None,
                        help=f"a scope to grant (repeatable; default {ASSISTANT_SCOPE})")
    create.add_argument("--no-scopes", action="store_true", help="grant no scope at all")
    appsub.add_parser("list", help="list app clients, revoked ones included")
    rotate = appsub.add_parser("rotate", help="new secret (printed once); the previous one stays valid for --grace")
    rotate.add_argument("name")
    rotate.add_argument("--grace", type=int, default=DEFAULT_GRACE_S,
                        help=f"seconds the previous secret stays valid (default {DEFAULT_GRACE_S})")
    revoke = appsub.add_parser("revoke", help="revoke an app client: its tokens stop working at once")
    revoke.add_argument("name")


def _row(client: AppClient) -> str:
    state = f"revoked {client.revoked_at.isoformat()}" if client.revoked_at else "active"
    grace = (f", previous secret valid until {client.previous_secret_expires_at.isoformat()}"
             if client.previous_secret_expires_at and not client.revoked_at else "")
    return f"{client.id}  {client.name}  scopes={','.join(client.scopes) or '-'}  {state}{grace}"


async def run(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    passwords = Passwords(settings)
    try:
        if args.apps_command == "create":
            scopes = [] if args.no_scopes else (args.scope or [ASSISTANT_SCOPE])
            client, secret = await logic.create_client(conn, passwords, args.name, scopes)
            print(f"client_id:     {client.id}")
            print(f"client_secret: {secret}")
            print(f"scopes:        {' '.join(client.scopes) or '-'}")
            print("The secret is shown only now; store it in the app's backend configuration.")
        elif args.apps_command == "list":
            for client in await repo.list_app_clients(conn):
                print(_row(client))
        elif args.apps_command == "rotate":
            client_id, secret, until = await logic.rotate_secret(conn, passwords, args.name, args.grace)
            print(f"client_id:     {client_id}")
            print(f"client_secret: {secret}")
            print(f"The previous secret stays valid until {until.isoformat()}. This secret is shown only now.")
        elif args.apps_command == "revoke":
            client_id = await logic.revoke_client(conn, args.name)
            print(f"revoked {args.name} ({client_id}): its tokens stop working at once")
    except LookupError as exc:
        print(f"apps {args.apps_command}: {exc.args[0]}")
        return 1
    except DomainError as exc:
        print(f"apps {args.apps_command}: {exc.detail}")
        return 1
    except asyncpg.PostgresError as exc:
        mapped = from_postgres(exc)
        if mapped is None:
            raise
        print(f"apps {args.apps_command}: {mapped.detail}")
        return 1
    return 0
