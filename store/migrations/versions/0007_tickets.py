"""after-sales tickets and their messages, feedback, and the customer's relation settings

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 01:31:04.348560
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.String(length=64), nullable=True),
        sa.Column("asked_at", store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("asked_message_id", sa.String(length=998), nullable=True),
        sa.Column("mail_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("received_at", store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["mail_id"], ["mails.id"], name=op.f("fk_feedback_mail_id_mails")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_feedback_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("mail_id", name=op.f("uq_feedback_mail_id")),
        sa.UniqueConstraint("order_id", name=op.f("uq_feedback_order_id")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_asked_message_id"), ["asked_message_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_feedback_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("mail_id", sa.Integer(), nullable=True),
        sa.Column("sender", sa.String(length=320), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("rma_number", sa.String(length=32), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("first_response_due", store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolution_due", store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("first_responded_at", store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("first_response_warned_at", store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolution_warned_at", store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["mail_id"], ["mails.id"], name=op.f("fk_tickets_mail_id_mails")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_tickets_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("mail_id", name=op.f("uq_tickets_mail_id")),
        sa.UniqueConstraint("number", name=op.f("uq_tickets_number")),
        sa.UniqueConstraint("rma_number", name=op.f("uq_tickets_rma_number")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tickets_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_status"), ["status"], unique=False)

    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("mail_id", sa.Integer(), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=320), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("at", store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mail_id"], ["mails.id"], name=op.f("fk_ticket_messages_mail_id_mails")
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name=op.f("fk_ticket_messages_outbox_id_outbox")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_messages_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_messages")),
    )
    with op.batch_alter_table("ticket_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_messages_mail_id"), ["mail_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ticket_messages_ticket_id"), ["ticket_id"], unique=False
        )

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("feedback_opt_out", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("digest", sa.String(length=8), server_default="never", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("digest")
        batch_op.drop_column("feedback_opt_out")

    with op.batch_alter_table("ticket_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_messages_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_ticket_messages_mail_id"))

    op.drop_table("ticket_messages")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_status"))
        batch_op.drop_index(batch_op.f("ix_tickets_order_id"))
        batch_op.drop_index(batch_op.f("ix_tickets_customer_id"))

    op.drop_table("tickets")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_customer_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_asked_message_id"))

    op.drop_table("feedback")
