"""The obligations register: every duty and prohibition of the Rules, with its period, its
sanction and its words, made from the checked annotation layer (see :mod:`.build`)."""

from assistant.obligations.build import build_register, changed_rows, wordings
from assistant.obligations.model import Obligation, Register

__all__ = ["Obligation", "Register", "build_register", "changed_rows", "wordings"]
