"""Initial schema: initiatives, tags, countries, sources, actors, revisions, full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "initiatives",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("lead_actor", sa.String(300), nullable=False),
        sa.Column("actor_type", sa.String(40), nullable=False),
        sa.Column("sector", sa.String(40), nullable=False),
        sa.Column("start_year", sa.Integer()),
        sa.Column("end_year", sa.Integer()),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("return_type", sa.String(10)),
        sa.Column("last_verified", sa.Date()),
        sa.Column("curation_state", sa.String(12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("tag_origins", sa.JSON(), nullable=False),
    )
    op.create_index("ix_initiatives_actor_type", "initiatives", ["actor_type"])
    op.create_index("ix_initiatives_sector", "initiatives", ["sector"])
    op.create_index("ix_initiatives_start_year", "initiatives", ["start_year"])
    op.create_index("ix_initiatives_curation_state", "initiatives", ["curation_state"])

    op.create_table(
        "initiative_tags",
        sa.Column("initiative_id", sa.String(120), sa.ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("dimension", sa.String(20), primary_key=True),
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_tags_dimension_code", "initiative_tags", ["dimension", "code", "initiative_id"])

    op.create_table(
        "initiative_countries",
        sa.Column("initiative_id", sa.String(120), sa.ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("code", sa.String(3), primary_key=True),
        sa.Column("role", sa.String(12), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_countries_code", "initiative_countries", ["code", "initiative_id"])

    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("initiative_id", sa.String(120), sa.ForeignKey("initiatives.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("title", sa.String(500)),
        sa.Column("publisher", sa.String(300)),
        sa.Column("accessed", sa.Date()),
    )
    op.create_index("ix_sources_initiative_id", "sources", ["initiative_id"])

    op.create_table(
        "actors",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_key", sa.String(300), nullable=False, unique=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("actor_type", sa.String(40)),
        sa.Column("sector", sa.String(40)),
        sa.Column("public_type", sa.String(40)),
        sa.Column("country", sa.String(3)),
        sa.Column("website", sa.String(500)),
        sa.Column("wikidata", sa.String(20)),
    )

    op.create_table(
        "initiative_actors",
        sa.Column("initiative_id", sa.String(120), sa.ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("actors.id"), primary_key=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_index("ix_initiative_actors_actor", "initiative_actors", ["actor_id", "initiative_id"])

    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("initiative_id", sa.String(120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("user", sa.String(120), nullable=False),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text()),
    )
    op.create_index("ix_revisions_initiative_id", "revisions", ["initiative_id"])
    op.create_index("ix_revisions_at", "revisions", ["at"])

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE initiatives_fts USING fts5("
            "id UNINDEXED, name, description, actors, tokenize='porter unicode61 remove_diacritics 2')"
        )
    elif bind.dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_initiatives_search ON initiatives "
            "USING gin (to_tsvector('english', search_text))"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS initiatives_fts")
    for table in ("revisions", "initiative_actors", "actors", "sources", "initiative_countries", "initiative_tags", "initiatives"):
        op.drop_table(table)
