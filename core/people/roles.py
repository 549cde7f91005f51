"""Who someone is to a secretariat: the roles of people and of API tokens, and the sectors of
civil society.

Plain enumerations with no database behind them, so that the command line can offer them as
choices without loading the models.
"""

from __future__ import annotations

import enum

from i18n import N_


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    STAFF = "staff"
    CIVIL_SOCIETY = "civil_society"


class Sector(enum.StrEnum):
    """Civil-society sectors, as the secretariats' citizen committees count them."""

    OSC = "osc"
    ACADEMIA = "academia"
    BUSINESS = "business"
    MEDIA = "media"
    CITIZEN = "citizen"


class TokenRole(enum.StrEnum):
    NATIONAL_ADMIN = "national_admin"
    SECRETARIAT_ADMIN = "secretariat_admin"
    COORDINATOR = "coordinator"
    VIEWER = "viewer"


ROLE_LABELS = {
    Role.ADMIN: N_("administrator"),
    Role.COORDINATOR: N_("coordinator"),
    Role.STAFF: N_("secretariat staff"),
    Role.CIVIL_SOCIETY: N_("civil society"),
}
SECTOR_LABELS = {
    Sector.OSC: N_("Civil society organisation"),
    Sector.ACADEMIA: N_("Academia"),
    Sector.BUSINESS: N_("Business sector"),
    Sector.MEDIA: N_("Media"),
    Sector.CITIZEN: N_("Citizen"),
}
