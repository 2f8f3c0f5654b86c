"""The identities linked to accounts through OpenID Connect (participation.accounts.identity)."""

from piccolo.columns import Boolean, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from participation.accounts.tables import Account


class IdentityLink(Table):
    """One account's identity at one provider: only what verification needs, nothing to identify the person.

    `subject_hash` is a keyed hash of the provider's slug and pseudonymous subject: unique, so one
    person verifies one account per provider (the database decides a race). No BSN, no address,
    no raw claims: the postcode is reduced to whether it lies in the municipality.
    """

    account = ForeignKey(Account, null=False, on_delete=OnDelete.cascade, index=True)
    provider = Varchar(length=40)
    subject_hash = Varchar(length=64, unique=True)
    assurance = Varchar(length=100, null=True, default=None)
    in_municipality = Boolean(default=False)
    verified_at = Timestamptz(default=TimestamptzNow())
