"""Networks built from plain rows, without the database: the helpers the network tests share."""

from __future__ import annotations

import datetime

from centres.models import ActorCategory, PresenceKind
from collaboration.models import Form, Frequency, ParticipantRole
from collaboration.network.figures import compute_figures
from collaboration.network.graph import Selection, build_network

CENTRE = 1
ALL = Selection(centre_ids=(CENTRE,))
A, B, C, D, E, F, G = 1, 2, 3, 4, 5, 6, 7
NAMES = {A: "Alfa", B: "Bravo", C: "Charlie", D: "Delta", E: "Echo", F: "Foxtrot", G: "Golf"}

PARTICIPANT = ParticipantRole.PARTICIPANT
GIVER, RECEIVER = ParticipantRole.GIVER, ParticipantRole.RECEIVER
REFERRER, REFERRED = ParticipantRole.REFERRER, ParticipantRole.REFERRED


def betweenness_of(network) -> dict[int, float]:
    return {node: figures.betweenness for node, figures in compute_figures(network).per_actor.items()}


def day(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def actors_of(categories: dict[int, str] | None = None, names: dict[int, str] | None = None) -> dict:
    """The actor rows `build_network` takes; every actor is an association unless told otherwise."""
    categories = categories or {}
    names = names or NAMES
    return {pk: {"name": name, "category": categories.get(pk, ActorCategory.ASSOCIATION)} for pk, name in names.items()}


def collaboration(pk, form=Form.KNOWLEDGE_SHARING, started_on=None, ended_on=None, frequency=Frequency.ONCE):
    """A collaboration row as `load_network` reads it: (id, centre_id, form, started_on, ended_on, frequency)."""
    return (pk, CENTRE, form, started_on or day(3, 1), ended_on, frequency)


def network_of(collaborations, participations, presences=(), actors=None, selection=ALL):
    return build_network(selection, collaborations, participations, list(presences), actors or actors_of())


def network_of_pairs(pairs, presences=(), actors=None, selection=ALL):
    """One two-actor collaboration per pair, numbered from 1; each pair may repeat to count twice."""
    collaborations = [collaboration(pk) for pk in range(1, len(pairs) + 1)]
    participations = [(pk, actor, PARTICIPANT) for pk, pair in enumerate(pairs, start=1) for actor in pair]
    return network_of(collaborations, participations, presences, actors, selection)


def present(*actor_ids, kind=PresenceKind.BASED):
    return [(actor_id, CENTRE, kind) for actor_id in actor_ids]


def edges(network) -> set[tuple[int, int]]:
    return {tuple(sorted(edge)) for edge in network.graph.edges()}
