"""PostgreSQL: extended statistics on initiative_tags (dimension, code).

A code belongs to one dimension, but the planner assumes the two columns independent and
underestimates filters such as "themes is employment" five-fold (49k rows estimated, 250k
found at 1M initiatives), then hashes every match where a few index probes would do. With
these statistics the "similar initiatives" query at 1M went from 110 ms to 13 ms.
SQLite has no such statistics: nothing to do there.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE STATISTICS IF NOT EXISTS st_tags_dimension_code (dependencies, mcv) ON dimension, code FROM initiative_tags")
        op.execute("ANALYZE initiative_tags")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS st_tags_dimension_code")
