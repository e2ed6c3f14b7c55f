"""URL routes of the web application."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from liaison.web.views import (
    actors,
    audit,
    countries,
    dashboard,
    entry,
    exchanges,
    maps,
    mechanisms,
    network,
    review,
    sources,
    timeline,
)
from liaison.web.views import login as login_views

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", login_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("exchanges/", exchanges.exchange_list, name="exchange_list"),
    path("exchanges/<int:pk>/", exchanges.exchange_detail, name="exchange_detail"),
    path("exchanges/new/", entry.exchange_new, name="exchange_new"),
    path("exchanges/<int:pk>/edit/", entry.exchange_edit, name="exchange_edit"),
    path("actors/new/", entry.actor_new, name="actor_new"),
    path("actors/suggest/", review.actor_suggest, name="actor_suggest"),
    path("actors/<int:pk>/edit/", entry.actor_edit, name="actor_edit"),
    path("actors/<int:pk>/merge/", review.review_merge, name="actor_merge"),
    path("merges/<int:pk>/undo/", review.merge_undo, name="merge_undo"),
    path("mechanisms/new/", entry.mechanism_new, name="mechanism_new"),
    path("mechanisms/<int:pk>/edit/", entry.mechanism_edit, name="mechanism_edit"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/<str:kind>/<int:pk>/", review.review_decide, name="review_decide"),
    path("actors/", actors.actor_list, name="actor_list"),
    path("actors/<int:pk>/", actors.actor_detail, name="actor_detail"),
    path("mechanisms/", mechanisms.mechanism_list, name="mechanism_list"),
    path("mechanisms/<int:pk>/", mechanisms.mechanism_detail, name="mechanism_detail"),
    path("countries/", countries.country_list, name="country_list"),
    path("countries/<str:iso3>/", countries.country_detail, name="country_detail"),
    path("sources/", sources.source_list, name="source_list"),
    path("sources/<int:pk>/", sources.source_detail, name="source_detail"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("network/", network.network, name="network"),
    path("map/", maps.world_map, name="map"),
    path("map/shapes.svg", maps.shapes_svg, name="map_shapes"),
    path("timeline/", timeline.timeline, name="timeline"),
    path("api/", ("liaison.web.api.urls", "api", "api")),  # what include() returns: the JSON API
    path("admin/", admin.site.urls),
]
