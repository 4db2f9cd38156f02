"""One actor per organisation: actors get other names (aliases) and may be a country office of another.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: rebuilding `actors` in batch mode would drop a table that others reference.
    # SQLite cannot add a foreign key to an existing table, so there it is kept by the repository.
    op.add_column("actors", sa.Column("parent_id", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":
        op.create_foreign_key("fk_actors_parent_id", "actors", "actors", ["parent_id"], ["id"], ondelete="SET NULL")
    op.create_index("ix_actors_parent_id", "actors", ["parent_id"])
    op.create_table(
        "actor_aliases",
        sa.Column("name_key", sa.String(300), primary_key=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_actor_aliases_actor_id", "actor_aliases", ["actor_id"])


def downgrade() -> None:
    op.drop_index("ix_actor_aliases_actor_id", table_name="actor_aliases")
    op.drop_table("actor_aliases")
    op.drop_index("ix_actors_parent_id", table_name="actors")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_actors_parent_id", "actors", type_="foreignkey")
    op.drop_column("actors", "parent_id")  # SQLite 3.35+ drops a column in place
