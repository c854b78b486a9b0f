"""Danish times as Danish is written: a full stop in the time of day ("kl. 14.02", as the Danish spelling dictionary
has it), where Django's Danish formats use a colon. Only the display formats; what a form accepts stays Django's."""

TIME_FORMAT = "H.i"  # 14.02
DATETIME_FORMAT = "j. F Y H.i"
SHORT_DATETIME_FORMAT = "d.m.Y H.i"
