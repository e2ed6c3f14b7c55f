"""URL routes of the web application."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from liaison.web.views import actors, audit, countries, dashboard, exchanges, mechanisms, sources

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("exchanges/", exchanges.exchange_list, name="exchange_list"),
    path("exchanges/<int:pk>/", exchanges.exchange_detail, name="exchange_detail"),
    path("actors/", actors.actor_list, name="actor_list"),
    path("actors/<int:pk>/", actors.actor_detail, name="actor_detail"),
    path("mechanisms/", mechanisms.mechanism_list, name="mechanism_list"),
    path("mechanisms/<int:pk>/", mechanisms.mechanism_detail, name="mechanism_detail"),
    path("countries/", countries.country_list, name="country_list"),
    path("countries/<str:iso3>/", countries.country_detail, name="country_detail"),
    path("sources/", sources.source_list, name="source_list"),
    path("sources/<int:pk>/", sources.source_detail, name="source_detail"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("admin/", admin.site.urls),
]
