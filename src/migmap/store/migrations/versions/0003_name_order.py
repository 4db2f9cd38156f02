"""An index in list order (lower(name), id), so a page of a common filter reads a few rows in order.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_initiatives_name_order", "initiatives", [sa.text("lower(name)"), "id"])


def downgrade() -> None:
    op.drop_index("ix_initiatives_name_order", table_name="initiatives")
