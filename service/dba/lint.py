"""Migration rules that squawk does not know, read from the migration files' text.

squawk lints each statement on its own; these rules need the whole file or
the whole sequence of files:

- every forward migration sets ``lock_timeout`` and ``statement_timeout``
  before its first other statement; every rollback sets ``lock_timeout``;
- squawk exceptions are per statement (``-- squawk-ignore <rule>`` right
  above it) with a reason on the comment line above that; never
  ``squawk-ignore-file``;
- ``CREATE INDEX`` on a table this migration did not create is
  ``CONCURRENTLY``, and ``CONCURRENTLY`` needs ``-- transactional: false``
  in the file's header (yoyo's directive; PostgreSQL refuses it in a
  transaction);
- a CHECK or FOREIGN KEY added to an existing table is added ``NOT VALID``
  (a short lock, no scan) and validated by ``VALIDATE CONSTRAINT`` in a later
  migration, or later in the same one if it is non-transactional (inside one
  transaction the validation would scan under the ADD's lock); adding a
  column with an inline REFERENCES or CHECK to an existing table is refused
  for the same reason;
- rollbacks never ``DROP ... CASCADE`` / ``TRUNCATE ... CASCADE``: a rollback
  drops exactly what its migration created (``ON DELETE CASCADE`` in a
  re-created FK is fine);
- no DDL inside a ``DO`` block (the rules above cannot see into one, and
  ``EXECUTE`` can run anything): a ``DO`` block may check data and raise, or,
  as a role/grant block, run only ``CREATE``/``ALTER ROLE``, ``GRANT``,
  ``REVOKE`` and ``ALTER DEFAULT PRIVILEGES`` (these need PL/pgSQL to be
  conditional on the role's existence), with its reason on the comment line
  right above ``DO``.

Migrations numbered after ``PINNED_FROM`` (0112; older ones are grandfathered
by number) also:

- pin ``SET search_path`` (without ``$user``) before their first other
  statement, so that an unqualified name cannot resolve to another schema;
- build an index on an existing table with the online template of
  ``db new --concurrent`` (service/db/migrate.py): ``-- transactional:
  false``, ``-- squawk-disable-assume-in-transaction``, ``DROP INDEX
  CONCURRENTLY IF EXISTS`` of the same name first (an invalid leftover of an
  interrupted run), then ``CREATE INDEX CONCURRENTLY IF NOT EXISTS`` with
  ``statement_timeout`` 0 set for it (the build takes as long as it takes;
  ``lock_timeout`` still bounds its wait for a lock).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from service.db.migrate import MIGRATIONS_DIR

PINNED_FROM = 112  # migrations numbered above this must pin search_path and use the online index template


def blank_comments_and_strings(text: str) -> str:
    """The text with comments and literal contents replaced by spaces (line breaks kept)."""
    out: list[str] = []
    i, n = 0, len(text)

    def blank(chunk: str) -> str:
        return "".join(c if c == "\n" else " " for c in chunk)

    while i < n:
        c = text[i]
        if text.startswith("--", i):
            end = text.find("\n", i)
            end = n if end == -1 else end
            out.append(blank(text[i:end]))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end == -1 else end + 2
            out.append(blank(text[i:end]))
            i = end
        elif c == "'":
            j = i + 1
            while j < n:
                if text[j] == "'" and text.startswith("''", j):
                    j += 2
                    continue
                if text[j] == "'":
                    break
                j += 1
            out.append("'" + blank(text[i + 1:j]) + "'")
            i = j + 1
        elif c == "$" and (m := re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$", text[i:])):
            tag = m.group(0)
            end = text.find(tag, i + len(tag))
            end = n if end == -1 else end + len(tag)
            out.append(tag + blank(text[i + len(tag):end - len(tag)]) + tag)
            i = end
        else:
            out.append(c)
            i += 1
    return "".join(out)


@dataclass(frozen=True)
class Statement:
    line: int  # 1-based line of its first token
    text: str  # comments and literals blanked, whitespace collapsed, upper-cased


def statements(text: str) -> list[Statement]:
    blanked = blank_comments_and_strings(text)
    found = []
    start = 0
    for part in blanked.split(";"):
        stripped = part.strip()
        if stripped:
            offset = start + part.index(stripped[0])
            found.append(Statement(blanked.count("\n", 0, offset) + 1, " ".join(stripped.split()).upper()))
        start += len(part) + 1
    return found


def header_directives(text: str) -> dict[str, str]:
    """yoyo's directives: ``-- name: value`` lines in the leading comment block."""
    directives = {}
    for line in text.splitlines():
        if m := re.match(r"^\s*--\s*(transactional|depends)\s*:\s*(.*)$", line):
            directives[m.group(1)] = m.group(2).strip()
        elif line.strip() and not line.strip().startswith("--"):
            break
    return directives


_NAME = r'((?:"[^"]+"|[A-Z0-9_$]+)(?:\.(?:"[^"]+"|[A-Z0-9_$]+))?)'
_CREATE_TABLE = re.compile(r"^CREATE (?:UNLOGGED |TEMP |TEMPORARY )?TABLE (?:IF NOT EXISTS )?" + _NAME)
_CREATE_INDEX = re.compile(r"^CREATE (?:UNIQUE )?INDEX (CONCURRENTLY )?(?:IF NOT EXISTS )?(?:\S+ )?ON (?:ONLY )?"
                           + _NAME)
_ALTER_TABLE = re.compile(r"^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?" + _NAME + r" (.*)$")
_ADD_CONSTRAINT = re.compile(r"\bADD CONSTRAINT " + _NAME + r" (CHECK|FOREIGN KEY)\b")
_ADD_UNNAMED = re.compile(r"\bADD (CHECK|FOREIGN KEY)\b")
_ADD_COLUMN_CONSTRAINED = re.compile(r"\bADD (?:COLUMN )?(?:IF NOT EXISTS )?[^,]*?\b(REFERENCES|CHECK)\b")
_VALIDATE = re.compile(r"\bVALIDATE CONSTRAINT " + _NAME)
_DO = re.compile(r"(?:^|;)(\s*)DO\s+(?:LANGUAGE\s+\w+\s+)?(\$[A-Za-z_0-9]*\$)", re.IGNORECASE)
_DDL_WORD = re.compile(r"\b(CREATE|ALTER|DROP|TRUNCATE|COMMENT|GRANT|REVOKE|EXECUTE|REINDEX|CLUSTER|VACUUM|SECURITY "
                       r"LABEL|IMPORT|REFRESH|LOCK)\b(\s+\w+(?:\s+\w+)?)?")
_GRANT_WORDS = ("GRANT", "REVOKE", "CREATE ROLE", "ALTER ROLE", "ALTER DEFAULT")
_DROP_INDEX_CONCURRENTLY = re.compile(r"^DROP INDEX CONCURRENTLY IF EXISTS " + _NAME + "$")
_CASCADE_DROP = re.compile(r"^(?:DROP|TRUNCATE|ALTER TABLE .* DROP)\b.*\bCASCADE\b")


_DROP_TABLE = re.compile(r"^DROP TABLE (?:IF EXISTS )?(.+?)(?: CASCADE| RESTRICT)?$")


def dropped_tables(text: str) -> list[str]:
    """The tables a migration file's ``DROP TABLE`` statements drop (the rollback guard's list)."""
    tables = []
    for s in statements(text):
        if m := _DROP_TABLE.match(s.text):
            tables += [_table(name.strip()) for name in m.group(1).split(",")]
    return tables


def _table(name: str) -> str:
    name = name.replace('"', "").lower()
    return name.removeprefix("public.")


@dataclass
class _Added:
    file: str
    line: int
    name: str
    transactional: bool
    validated: bool = False


@dataclass
class Linter:
    problems: list[str] = field(default_factory=list)
    pending: list[_Added] = field(default_factory=list)

    def report(self, path: Path, line: int, message: str) -> None:
        self.problems.append(f"{path.name}:{line}: {message}")

    def forward(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        stmts = statements(text)
        transactional = header_directives(text).get("transactional", "true").lower() != "false"
        pinned = migration_number(path) > PINNED_FROM
        self._timeouts(path, stmts, ("LOCK_TIMEOUT", "STATEMENT_TIMEOUT") + (("SEARCH_PATH",) if pinned else ()))
        self._squawk_ignores(path, text)
        self._do_blocks(path, text)
        if not transactional:
            for s in stmts:
                if s.text.startswith("SET LOCAL "):
                    self.report(path, s.line, "SET LOCAL has no effect in a '-- transactional: false' migration "
                                              "(each statement is its own transaction): use SET")
        created: set[str] = set()
        for index, s in enumerate(stmts):
            if m := _CREATE_TABLE.match(s.text):
                created.add(_table(m.group(1)))
            elif m := _CREATE_INDEX.match(s.text):
                concurrent, table = m.group(1), _table(m.group(2))
                if table not in created and not concurrent:
                    self.report(path, s.line, f"CREATE INDEX on {table}, a table this migration did not create, "
                                              "must be CREATE INDEX CONCURRENTLY (in a '-- transactional: false' "
                                              "migration)")
                elif table not in created and pinned:
                    self._online_index(path, text, stmts, index)
            if "CONCURRENTLY" in s.text and transactional:
                self.report(path, s.line, "CONCURRENTLY needs '-- transactional: false' in the migration's header")
            if m := _ALTER_TABLE.match(s.text):
                self._alter(path, s, _table(m.group(1)), m.group(2), created, transactional)
            for m in _VALIDATE.finditer(s.text):
                name = _table(m.group(1))
                for added in self.pending:
                    if added.name == name and (added.file != path.name or not added.transactional):
                        added.validated = True

    def _alter(self, path: Path, s: Statement, table: str, rest: str, created: set[str], transactional: bool) -> None:
        if table in created:
            return
        for m in _ADD_CONSTRAINT.finditer(rest):
            if "NOT VALID" not in rest:
                self.report(path, s.line, f"{m.group(2)} constraint {m.group(1).lower()} added to the existing "
                                          f"table {table} must be NOT VALID, then VALIDATE CONSTRAINT in a later "
                                          "migration")
            else:
                self.pending.append(_Added(path.name, s.line, _table(m.group(1)), transactional))
        if m := _ADD_UNNAMED.search(rest):
            self.report(path, s.line, f"unnamed {m.group(1)} added to {table}: use ADD CONSTRAINT "
                                      f"{table}_<what>_{'chk' if m.group(1) == 'CHECK' else 'fkey'} ... NOT VALID")
        if "ADD CONSTRAINT" not in rest and (m := _ADD_COLUMN_CONSTRAINED.search(rest)):
            self.report(path, s.line, f"column with an inline {m.group(1)} added to the existing table {table}: "
                                      "add the column, then the constraint NOT VALID, then VALIDATE it")

    def _online_index(self, path: Path, text: str, stmts: list[Statement], index: int) -> None:
        """The ``db new --concurrent`` template around one CREATE INDEX CONCURRENTLY on an existing table."""
        s = stmts[index]
        missing = []
        if not any(line.strip() == "-- squawk-disable-assume-in-transaction" for line in _header_lines(text)):
            missing.append("'-- squawk-disable-assume-in-transaction' in the header")
        name = re.match(r"^CREATE (?:UNIQUE )?INDEX CONCURRENTLY (IF NOT EXISTS )?" + _NAME + " ON", s.text)
        if not name or not name.group(1):
            missing.append("CREATE INDEX CONCURRENTLY IF NOT EXISTS <name>")
        else:
            wanted = _table(name.group(2))
            if not any((m := _DROP_INDEX_CONCURRENTLY.match(p.text)) and _table(m.group(1)) == wanted
                       for p in stmts[:index]):
                missing.append(f"DROP INDEX CONCURRENTLY IF EXISTS {wanted} before it (an invalid leftover of an "
                               "interrupted run)")
        timeouts = [p.text for p in stmts[:index] if re.match(r"^SET (SESSION )?STATEMENT_TIMEOUT\b", p.text)]
        if not timeouts or not re.search(r"(=|\bTO)\s*(0|'0'|DEFAULT)$", timeouts[-1]):
            missing.append("SET statement_timeout = 0 right before it")
        if missing:
            self.report(path, s.line, "an index on an existing table is built with the online template "
                                      "(python -m service db new --concurrent): missing " + "; ".join(missing))

    def _do_blocks(self, path: Path, text: str) -> None:
        """DDL inside DO is refused, but for role/grant blocks with a reason comment right above DO."""
        blanked = blank_comments_and_strings(text)
        lines = text.splitlines()
        for m in _DO.finditer(blanked):
            start = m.end()
            tag = m.group(2)
            end = text.find(tag, start)
            body = blank_comments_and_strings(text[start:end if end != -1 else len(text)]).upper()
            line = text.count("\n", 0, m.start(2)) + 1
            # The first DDL word of each PL/pgSQL statement is its verb (REVOKE ... TRUNCATE ON ... is a REVOKE).
            firsts = [w for chunk in body.split(";") if (w := _DDL_WORD.search(chunk))]
            phrases = [" ".join((w.group(1) + (w.group(2) or "")).split()) for w in firsts]
            if not phrases:
                continue
            others = [p for p in phrases if not p.startswith(_GRANT_WORDS)]
            if others:
                self.report(path, line, f"DDL inside a DO block ({others[0].split()[0]}): write it as plain "
                                        "statements the linter and squawk can see (DO may only check and raise, "
                                        "or grant: GRANT, REVOKE, CREATE/ALTER ROLE, ALTER DEFAULT PRIVILEGES)")
                continue
            above = _line_above(lines, blanked, m)
            if not above.startswith("--") or len(above.strip("- ")) < 10:
                self.report(path, line, "a role/grant DO block needs its reason on the comment line right above DO")

    def rollback(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        stmts = statements(text)
        self._timeouts(path, stmts, ("LOCK_TIMEOUT",))
        self._squawk_ignores(path, text)
        self._do_blocks(path, text)
        for s in stmts:
            if _CASCADE_DROP.match(s.text):
                self.report(path, s.line, "a rollback drops exactly what its migration created: no CASCADE")

    def _timeouts(self, path: Path, stmts: list[Statement], settings: tuple[str, ...]) -> None:
        for setting in settings:
            index = next((i for i, s in enumerate(stmts)
                          if re.match(rf"^SET (SESSION |LOCAL )?{setting}\b", s.text)), None)
            if index is None:
                pinned = f" (migrations after {PINNED_FROM:04d} pin it: SET search_path = public, pg_catalog)"
                self.report(path, 1, f"does not SET {setting.lower()}" + (pinned if setting == "SEARCH_PATH" else ""))
            elif setting == "SEARCH_PATH" and "$USER" in stmts[index].text:
                self.report(path, stmts[index].line, "search_path is pinned to fixed schemas, without \"$user\"")
            elif any(not s.text.startswith("SET ") for s in stmts[:index]):
                self.report(path, stmts[index].line, f"SET {setting.lower()} must come before any other statement")

    def _squawk_ignores(self, path: Path, text: str) -> None:
        lines = text.splitlines()
        for number, line in enumerate(lines, start=1):
            if "squawk-ignore" not in line:
                continue
            if "squawk-ignore-file" in line:
                self.report(path, number, "squawk exceptions are per statement, never squawk-ignore-file")
                continue
            above = lines[number - 2].strip() if number > 1 else ""
            if not above.startswith("--") or "squawk-ignore" in above or len(above.strip("- ")) < 10:
                self.report(path, number, "a squawk-ignore needs the reason on the comment line right above it")
            below = lines[number].strip() if number < len(lines) else ""
            if not below or below.startswith("--"):
                self.report(path, number, "a squawk-ignore must stand right above the statement it excuses")

    def finish(self) -> None:
        for added in self.pending:
            if not added.validated:
                self.problems.append(f"{added.file}:{added.line}: constraint {added.name} is added NOT VALID but "
                                     "never validated: VALIDATE CONSTRAINT it in the next migration")


def migration_number(path: Path) -> int:
    m = re.match(r"^(\d+)", path.name)
    return int(m.group(1)) if m else 0


def _header_lines(text: str) -> list[str]:
    header = []
    for line in text.splitlines():
        if line.strip() and not line.strip().startswith("--"):
            break
        header.append(line)
    return header


def _line_above(lines: list[str], blanked: str, m: re.Match[str]) -> str:
    """The text of the line above the one where the DO keyword of this match stands."""
    do_at = m.start(1) + len(m.group(1))
    number = blanked.count("\n", 0, do_at)  # 0-based line of DO
    return lines[number - 1].strip() if number > 0 else ""


def lint_migrations(directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Every problem of every migration in the directory, in file order."""
    linter = Linter()
    forward = sorted(p for p in directory.glob("*.sql") if not p.name.endswith(".rollback.sql"))
    for path in forward:
        linter.forward(path)
        rollback = path.with_name(path.stem + ".rollback.sql")
        if rollback.exists():
            linter.rollback(rollback)
        else:
            linter.report(path, 1, f"has no rollback file {rollback.name}")
    linter.finish()
    return linter.problems
