"""Unbound extension instances; create_app binds them."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

from debate.core.api import CommonErrors, DebateApi

# A naming convention keeps constraint names stable across databases, so migrations are stable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class IdsNeverReused:
    """Every model's table gets SQLite's AUTOINCREMENT, so SQLite never gives a new row the id of a
    deleted one (without it, the next id is the largest one + 1): a new account must not receive a
    deleted account's audit trail or links.

    Only a single integer primary key is affected (SQLAlchemy adds nothing to composite or
    foreign-key primary keys); PostgreSQL's sequences already never go back. `flask db migrate`
    writes it into a new model's `op.create_table`. Set where a model is declared rather than in
    `__table_args__` (a model declaring its own would silently drop it) or by a global Table event
    (it would reach every Table of the process, Alembic's too). A mixin, not a method of Base:
    Flask-SQLAlchemy rebuilds the model base from Base's body on Base's own bases, where `super()`
    in Base's body would not find Base. A plain `sa.Table` passes `sqlite_autoincrement=True`
    itself; tests/core/test_migrations.py checks every table.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)  # DeclarativeBase maps the class: its table exists now
        table = cls.__dict__.get("__table__")
        if isinstance(table, Table):
            table.dialect_kwargs["sqlite_autoincrement"] = True


class Base(IdsNeverReused, DeclarativeBase):
    """Declarative base of every model: a stable naming convention, and ids never reused."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
api = DebateApi(spec_kwargs={"extra_plugins": [CommonErrors()]})
