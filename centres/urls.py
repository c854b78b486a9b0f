from django.contrib.auth import views as auth_views
from django.urls import path

from centres import views
from centres.languages import LogoutView

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("centres/<slug:slug>/members/<int:pk>/unlock/", views.membership_unlock, name="membership_unlock"),
    path("centres/<slug:slug>/actors/", views.presence_list, name="presence_list"),
    path("centres/<slug:slug>/actors/new/", views.actor_create, name="actor_create"),
    path("centres/<slug:slug>/actors/add/", views.presence_create, name="presence_create"),
    path("centres/<slug:slug>/actors/<int:pk>/edit/", views.presence_edit, name="presence_edit"),
    path("centres/<slug:slug>/actors/<int:pk>/delete/", views.presence_delete, name="presence_delete"),
    path("centres/<slug:slug>/members/", views.membership_list, name="membership_list"),
    path("centres/<slug:slug>/members/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("centres/<slug:slug>/members/<int:pk>/delete/", views.membership_delete, name="membership_delete"),
    path("actors/<int:pk>/edit/", views.actor_edit, name="actor_edit"),
]
