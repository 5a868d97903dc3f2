from django.urls import path

from . import views

app_name = "schemes"
urlpatterns = [
    path("kalender/abonner/", views.subscribe, name="subscribe"),
    path("kalender/abonner/ny-lenke/", views.new_feed_link, name="new_feed_link"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical"),
    path("<slug:office>/<int:year>/", views.round_detail, name="round"),
    path("<slug:office>/<int:year>/kalender/", views.round_calendar, name="calendar"),
    path("<slug:office>/<int:year>/arshjul/", views.cycle, name="cycle"),
    path("<slug:office>/<int:year>/arshjul/ny/", views.add_milestone, name="add_milestone"),
    path("<slug:office>/<int:year>/arshjul/<int:pk>/", views.edit_milestone, name="edit_milestone"),
    path("<slug:office>/<int:year>/arshjul/<int:pk>/slett/", views.delete_milestone, name="delete_milestone"),
    path("<slug:office>/<int:year>/arshjul/paminnelse/", views.set_reminder, name="set_reminder"),
    path("<slug:office>/<int:year>/arshjul/kopier-fjoraret/", views.copy_previous_cycle, name="copy_previous"),
    path("<slug:office>/<int:year>/arshjul/neste-ar/", views.start_next_year, name="start_next_year"),
]
