from django.urls import path, re_path

from collaboration.imports import views as import_views
from collaboration.maps import views as map_views
from collaboration.merging import views as merge_views
from collaboration.records import views
from collaboration.reports import views as report_views
from collaboration.rounds import partner
from collaboration.rounds import views as round_views

urlpatterns = [
    path("centres/<slug:slug>/", views.centre_detail, name="centre_detail"),
    path("actors/<int:pk>/", views.actor_detail, name="actor_detail"),
    path("actors/<int:pk>/merge/", merge_views.actor_merge, name="actor_merge"),
    path("centres/<slug:slug>/collaborations/", views.collaboration_list, name="collaboration_list"),
    path("centres/<slug:slug>/collaborations/new/", views.collaboration_create, name="collaboration_create"),
    path("centres/<slug:slug>/collaborations/deleted/", views.collaboration_deletions, name="collaboration_deletions"),
    path("centres/<slug:slug>/collaborations/<int:pk>/", views.collaboration_detail, name="collaboration_detail"),
    path("centres/<slug:slug>/collaborations/<int:pk>/edit/", views.collaboration_edit, name="collaboration_edit"),
    path(
        "centres/<slug:slug>/collaborations/<int:pk>/delete/", views.collaboration_delete, name="collaboration_delete"
    ),
    path(
        "centres/<slug:slug>/collaborations/<int:pk>/history/<int:entry_pk>/restore/",
        views.collaboration_restore,
        name="collaboration_restore",
    ),
    path("centres/<slug:slug>/log/refresh/", views.collaboration_form_refresh, name="collaboration_form_refresh"),
    path("centres/<slug:slug>/log/actors/", views.actor_search, name="actor_search"),
    path("centres/<slug:slug>/log/new-actor/", views.new_actor, name="new_actor"),
    path("centres/<slug:slug>/import/", import_views.import_upload, name="import_upload"),
    path("centres/<slug:slug>/import/preview/", import_views.import_preview, name="import_preview"),
    path("centres/<slug:slug>/import/confirm/", import_views.import_confirm, name="import_confirm"),
    path("centres/<slug:slug>/import/template/", import_views.import_template, name="import_template"),
    path("centres/<slug:slug>/import/<uuid:pk>/", import_views.import_run, name="import_run"),
    path("centres/<slug:slug>/map/", map_views.centre_map, name="centre_map"),
    path("centres/<slug:slug>/map/table/", map_views.centre_map_table, name="centre_map_table"),
    path("centres/<slug:slug>/map/charts/", map_views.centre_map_charts, name="centre_map_charts"),
    path("centres/<slug:slug>/map/actors/<int:pk>/", map_views.actor_panel, name="actor_panel"),
    path("centres/<slug:slug>/overview/", report_views.centre_overview, name="centre_overview"),
    path("reports/", report_views.report_builder, name="report_builder"),
    re_path(
        r"^reports/download/(?P<file_format>pdf|xlsx|csv|gexf|graphml)/$",
        report_views.report_download,
        name="report_download",
    ),
    path("centres/<slug:slug>/rounds/", round_views.round_list, name="round_list"),
    path("centres/<slug:slug>/rounds/new/", round_views.round_create, name="round_create"),
    path("centres/<slug:slug>/rounds/<int:pk>/", round_views.round_detail, name="round_detail"),
    path("centres/<slug:slug>/rounds/<int:pk>/remind/", round_views.round_remind, name="round_remind"),
    path("centres/<slug:slug>/rounds/<int:pk>/close/", round_views.round_close, name="round_close"),
    path(
        "centres/<slug:slug>/rounds/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        round_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "centres/<slug:slug>/rounds/<int:pk>/invitations/<int:invitation_pk>/resend/",
        round_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "centres/<slug:slug>/rounds/<int:pk>/invitations/<int:invitation_pk>/contact/",
        round_views.invitation_contact,
        name="invitation_contact",
    ),
    path(
        "centres/<slug:slug>/rounds/<int:pk>/invitations/new/",
        round_views.invitation_create,
        name="invitation_create",
    ),
    path(
        "centres/<slug:slug>/rounds/<int:pk>/proposals/<int:proposal_pk>/accept/",
        round_views.proposal_accept,
        name="proposal_accept",
    ),
    path(
        "centres/<slug:slug>/rounds/<int:pk>/proposals/<int:proposal_pk>/reject/",
        round_views.proposal_reject,
        name="proposal_reject",
    ),
    # A partner's page in a mapping round: the personal link is the only key, no login.
    path("svar/<str:token>/", partner.partner_page, name="partner_page"),
    path("svar/<str:token>/answers/<int:collaboration_pk>/", partner.partner_answer, name="partner_answer"),
    path("svar/<str:token>/ratings/<int:actor_pk>/", partner.partner_rating, name="partner_rating"),
    path("svar/<str:token>/missing/", partner.partner_proposal, name="partner_proposal"),
    path(
        "svar/<str:token>/missing/<int:proposal_pk>/withdraw/",
        partner.partner_proposal_withdraw,
        name="partner_proposal_withdraw",
    ),
    path("svar/<str:token>/comment/", partner.partner_comment, name="partner_comment"),
    path("svar/<str:token>/finish/", partner.partner_finish, name="partner_finish"),
    path("reports/prepared/<uuid:pk>/", report_views.report_prepared, name="report_prepared"),
    path("reports/prepared/<uuid:pk>/file/", report_views.report_prepared_file, name="report_prepared_file"),
    path("reports/prepared/<uuid:pk>/cancel/", report_views.report_prepared_cancel, name="report_prepared_cancel"),
    path("map/", map_views.all_centres_map, name="all_centres_map"),
    path("map/charts/", map_views.all_centres_map_charts, name="all_centres_map_charts"),
    path("map/actors/<int:pk>/", map_views.all_centres_actor_panel, name="all_centres_actor_panel"),
    path("map/definitions/", map_views.figure_definitions, name="figure_definitions"),
]
