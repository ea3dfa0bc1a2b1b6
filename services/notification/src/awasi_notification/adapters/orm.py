"""Notification's own tables."""

from __future__ import annotations

import sqlalchemy as sa

from awasi_common.inbox import inbox_table
from awasi_common.outbox import outbox_tables

metadata = sa.MetaData()

reminder = sa.Table(
    "reminder",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kegiatan_id", sa.String(36), nullable=False),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("judul", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("mulai", sa.Date, nullable=True),
    sa.Column("selesai", sa.Date, nullable=True),
    sa.Column("fired_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("kegiatan_id", "kind", name="uq_reminder_kegiatan_kind"),
    sa.Index("ix_reminder_status_due_at", "status", "due_at"),
)

receipt = sa.Table(
    "receipt",
    metadata,
    sa.Column("laporan_id", sa.String(36), primary_key=True),
    sa.Column("kode_pelacakan", sa.String(32), nullable=False, unique=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("kanal", sa.String(32), nullable=False),
    sa.Column("diterima_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

subscription = sa.Table(
    "subscription",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("owner_kind", sa.String(16), nullable=False),
    # owner_kind: unit, user or agency; owner: the unit code or the token subject.
    sa.Column("owner", sa.String(200), nullable=False, index=True),
    sa.Column("owner_unit", sa.String(32), nullable=False, index=True),
    sa.Column("agency_subject", sa.String(200), nullable=True, index=True),
    sa.Column("lembaga", sa.String(200), nullable=True),
    sa.Column("region", sa.String(32), nullable=False, index=True),
    sa.Column("mode", sa.String(20), nullable=False),
    sa.Column("email", sa.String(320), nullable=True),
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("secret", sa.String(100), nullable=True),
    sa.Column("previous_secret", sa.String(100), nullable=True),
    sa.Column("previous_secret_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

subscription_event = sa.Table(
    "subscription_event",
    metadata,
    sa.Column(
        "subscription_id",
        sa.String(36),
        sa.ForeignKey("subscription.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("event_type", sa.String(200), primary_key=True),
    sa.Index("ix_subscription_event_type", "event_type"),
)

unit_contact = sa.Table(
    "unit_contact",
    metadata,
    sa.Column("unit", sa.String(32), primary_key=True),
    sa.Column("emails", sa.JSON, nullable=False),
    sa.Column("mode", sa.String(20), nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

delivery = sa.Table(
    "delivery",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("dedup_key", sa.String(400), nullable=False, unique=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("recipient", sa.String(320), nullable=False),
    sa.Column("recipient_label", sa.String(320), nullable=False),
    # recipient_label is what logs and events show: never a reporter's address.
    sa.Column("subscription_id", sa.String(36), nullable=True, index=True),
    sa.Column("event_type", sa.String(200), nullable=False),
    sa.Column("event_id", sa.String(200), nullable=False),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("max_attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("lease_token", sa.String(36), nullable=True),
    sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("response_status", sa.Integer, nullable=True),
    sa.Column("digest_id", sa.String(36), nullable=True, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("traceparent", sa.String(64), nullable=True),
    # The trace of the event handling that recorded the delivery: the send joins it.
    sa.Index("ix_delivery_due", "status", "next_attempt_at"),
)

inbox_message = sa.Table(
    "inbox_message",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("delivery_id", sa.String(36), nullable=False, unique=True),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("unit", sa.String(32), nullable=False),
    sa.Column("event_type", sa.String(200), nullable=False),
    sa.Column("event_id", sa.String(200), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_inbox_message_owner", "owner", "created_at"),
)

outbox, outbox_lease = outbox_tables(metadata)
inbox = inbox_table(metadata)
