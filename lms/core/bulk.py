"""Writing many rows in one statement.

On PostgreSQL, inserts go through COPY and updates send one array parameter per column that
`unnest()` turns back into rows: 1 600 rows cost one short statement instead of 1 600
executions or a query text with 16 000 placeholders. SQLite runs in-process, where executemany
is already cheap.
"""
import json
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from lms.core.extensions import db


def _pg_type(column: sa.Column) -> str:
    if isinstance(column.type, sa.JSON):
        return "json"
    if isinstance(column.type, sa.Enum):
        return "varchar"
    return column.type.compile(dialect=postgresql.dialect())


def _array_value(column: sa.Column, values: list) -> list:
    if isinstance(column.type, sa.JSON):
        return [None if v is None else json.dumps(v) for v in values]
    if isinstance(column.type, sa.Enum):
        return [getattr(v, "value", v) for v in values]
    return values


def _unnest(table: sa.Table, names: Sequence[str], rows: list[dict]) -> tuple[str, dict]:
    """`unnest(CAST(:c0 AS type[]), …)` and its parameters, one array per column."""
    casts, params = [], {}
    for index, name in enumerate(names):
        column = table.c[name]
        # JSON travels as text: psycopg would otherwise need a Jsonb wrapper per element.
        array_type = "text" if _pg_type(column) == "json" else _pg_type(column)
        cast = f"CAST(:c{index} AS {array_type}[])"
        casts.append(cast)
        params[f"c{index}"] = _array_value(column, [row[name] for row in rows])
    return "unnest(" + ", ".join(casts) + ")", params


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def insert_many(model_or_table, rows: list[dict]) -> None:
    """INSERT every row (all with the same keys) in the current transaction."""
    if not rows:
        return
    table = getattr(model_or_table, "__table__", model_or_table)
    names = list(rows[0])
    if not _is_postgresql():
        db.session.execute(sa.insert(table), rows)
        return
    # COPY is PostgreSQL's bulk path; psycopg formats the rows in C, inside this transaction.
    columns = ", ".join(f'"{name}"' for name in names)
    converters = [_copy_converter(table.c[name]) for name in names]
    cursor = db.session.connection().connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([convert(row[name]) for name, convert in zip(names, converters)])


def _copy_converter(column: sa.Column):
    if isinstance(column.type, sa.JSON):
        return lambda v: None if v is None else json.dumps(v)
    if isinstance(column.type, sa.Enum):
        return lambda v: getattr(v, "value", v)
    return lambda v: v


def update_many(model_or_table, rows: list[dict], key: str = "id", same: dict | None = None) -> None:
    """UPDATE rows matched on `key`; every row carries the same keys. `same` sets columns to one
    value in every row (sent once, not as an array of copies)."""
    if not rows:
        return
    table = getattr(model_or_table, "__table__", model_or_table)
    names, same = list(rows[0]), same or {}
    if not _is_postgresql():
        values = {name: sa.bindparam(f"new_{name}") for name in names if name != key}
        statement = (sa.update(table).where(table.c[key] == sa.bindparam(f"new_{key}"))
                     .values(values).values(same))
        db.session.execute(statement, [{f"new_{k}": v for k, v in row.items()} for row in rows])
        return
    source, params = _unnest(table, names, rows)
    assignments = [f'"{name}" = CAST(v.{name} AS json)' if _pg_type(table.c[name]) == "json"
                   else f'"{name}" = v.{name}' for name in names if name != key]
    for index, (name, value) in enumerate(same.items()):
        assignments.append(f'"{name}" = :s{index}')
        params[f"s{index}"] = value
    db.session.execute(sa.text(
        f'UPDATE "{table.name}" AS t SET {", ".join(assignments)} '
        f'FROM {source} AS v({", ".join(names)}) WHERE t."{key}" = v.{key}'), params)


def _column_defaults(table: sa.Table, given: Sequence[str]) -> dict:
    """Python-side column defaults (SQLAlchemy applies them only to ORM/Core inserts)."""
    now_defaults = {}
    for column in table.columns:
        if column.name in given or column.primary_key or column.default is None:
            continue
        default = column.default
        if default.is_scalar:
            now_defaults[column.name] = default.arg
        elif default.is_callable:
            now_defaults[column.name] = default.arg({}) if _takes_context(default.arg) else default.arg()
    return now_defaults


def _takes_context(function) -> bool:
    import inspect
    target = getattr(function, "__wrapped__", function)
    try:
        return len(inspect.signature(target).parameters) > 0
    except (TypeError, ValueError):
        return False


def _sqlite_converter(column: sa.Column):
    """Values as SQLAlchemy itself would store them in SQLite (its DateTime text format)."""
    if isinstance(column.type, sa.DateTime):
        return lambda v: None if v is None else v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(column.type, sa.Numeric) and not isinstance(column.type, sa.Integer):
        return lambda v: None if v is None else float(v)
    return _copy_converter(column)


def insert_rows(model_or_table, names: Sequence[str], rows, chunk: int = 20_000) -> int:
    """INSERT an iterable of tuples (in `names` order) without building them all in memory;
    columns not named get their Python-side default. Returns the number of rows."""
    table = getattr(model_or_table, "__table__", model_or_table)
    defaults = _column_defaults(table, names)
    names = [*names, *defaults]
    extra = tuple(getattr(v, "value", v) for v in defaults.values())
    postgres = _is_postgresql()
    convert_for = _copy_converter if postgres else _sqlite_converter
    converters = [convert_for(table.c[name]) for name in names]
    count = 0
    if postgres:
        columns = ", ".join(f'"{name}"' for name in names)
        cursor = db.session.connection().connection.driver_connection.cursor()
        with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([convert(v) for v, convert in zip((*row, *extra), converters)])
                count += 1
        return count
    sql = (f'INSERT INTO "{table.name}" ({", ".join(names)}) '
           f'VALUES ({", ".join("?" for _ in names)})')
    connection = db.session.connection()
    batch = []
    for row in rows:
        batch.append(tuple(convert(v) for v, convert in zip((*row, *extra), converters)))
        if len(batch) >= chunk:
            connection.exec_driver_sql(sql, batch)
            count, batch = count + len(batch), []
    if batch:
        connection.exec_driver_sql(sql, batch)
        count += len(batch)
    return count


def _insert_for_dialect(table: sa.Table):
    """The dialect's INSERT, which has ON CONFLICT on both PostgreSQL and SQLite."""
    if _is_postgresql():
        return postgresql.insert(table)
    return sqlite.insert(table)


def add_to_counts(model_or_table, key: dict, counts: dict) -> None:
    """Insert the row `key` with `counts`, or add `counts` to the row already there: one
    statement, so concurrent writers add up instead of overwriting each other."""
    table = getattr(model_or_table, "__table__", model_or_table)
    statement = _insert_for_dialect(table).values({**key, **counts})
    db.session.execute(statement.on_conflict_do_update(
        index_elements=list(key),
        set_={name: table.c[name] + statement.excluded[name] for name in counts}))


def insert_unless_present(model_or_table, row: dict) -> None:
    """Insert `row` unless a row with the same key exists (concurrent inserts included)."""
    table = getattr(model_or_table, "__table__", model_or_table)
    db.session.execute(_insert_for_dialect(table).values(row).on_conflict_do_nothing())
