"""identity routes under `/identity/api/v1/`."""

from django.urls import path

from apps.accounts.api import views

urlpatterns = [
    path("auth/register/", views.RegisterApi.as_view(), name="register"),
    path("auth/token/", views.TokenObtainApi.as_view(), name="token-obtain"),
    path("auth/oauth2/token/", views.OAuth2TokenApi.as_view(), name="oauth2-token"),
    path("auth/token/refresh/", views.TokenRefreshApi.as_view(), name="token-refresh"),
    path("auth/token/revoke/", views.TokenRevokeApi.as_view(), name="token-revoke"),
    path("auth/service-token/", views.ServiceTokenApi.as_view(), name="service-token"),
    path("users/me/", views.MeApi.as_view(), name="user-me"),
    path("users/me/password/", views.MyPasswordApi.as_view(), name="user-me-password"),
    path("users/", views.UserListApi.as_view(), name="user-list"),
    path("users/<uuid:user_id>/", views.UserDetailApi.as_view(), name="user-detail"),
    path("roles/", views.RoleListApi.as_view(), name="role-list"),
]
