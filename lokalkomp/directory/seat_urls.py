"""The forum's seats, under /embeter/<office>/forum/ (the office's pages; the networks are under /nettverk/)."""

from django.urls import path

from . import seat_views

app_name = "forum"
urlpatterns = [
    path("<slug:office>/forum/", seat_views.forum_seats, name="seats"),
    path("<slug:office>/forum/ny/", seat_views.add_seat, name="add_seat"),
    path("<slug:office>/forum/<int:pk>/", seat_views.edit_seat, name="edit_seat"),
    path("<slug:office>/forum/<int:pk>/avslutt/", seat_views.end_seat, name="end_seat"),
]
