from django.urls import path

from collaboration import views

urlpatterns = [
    path("centres/<slug:slug>/collaborations/", views.collaboration_list, name="collaboration_list"),
    path("centres/<slug:slug>/collaborations/new/", views.collaboration_create, name="collaboration_create"),
    path("centres/<slug:slug>/collaborations/<int:pk>/", views.collaboration_detail, name="collaboration_detail"),
    path("centres/<slug:slug>/collaborations/<int:pk>/edit/", views.collaboration_edit, name="collaboration_edit"),
    path(
        "centres/<slug:slug>/collaborations/<int:pk>/delete/", views.collaboration_delete, name="collaboration_delete"
    ),
    path("centres/<slug:slug>/log/refresh/", views.collaboration_form_refresh, name="collaboration_form_refresh"),
    path("centres/<slug:slug>/log/actors/", views.actor_search, name="actor_search"),
    path("centres/<slug:slug>/log/new-actor/", views.new_actor, name="new_actor"),
]
