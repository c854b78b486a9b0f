"""Which task a worker takes first when several are due (django-tasks-db takes the highest priority first, before
delayed tasks that have come due): work someone watches, then work someone waits for, then the rest (a centre's
map computed again after a change, at the default 0). A 15-row import waited 5 minutes behind three such refreshes."""

# An import whose page is open; until it is written it also holds the locks of the actors it creates.
WATCHED = 20
# A large map or report someone asked for; a partner's e-mail.
WAITED_FOR = 10
