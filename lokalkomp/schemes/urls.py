from django.urls import path

from . import plan_views, views, views_frames

LTP = "embeter/<slug:office>/langsiktig-plan/"

app_name = "schemes"
urlpatterns = [
    path("kalender/abonner/", views.subscribe, name="subscribe"),
    path("kalender/abonner/ny-lenke/", views.new_feed_link, name="new_feed_link"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical"),
    path("mine/", views.my_round, name="my_round"),
    path(LTP, plan_views.long_term_plans, name="long_term_plans"),
    path(LTP + "ny/", plan_views.add_long_term_plan, name="add_long_term_plan"),
    path(LTP + "<int:plan>/", plan_views.edit_long_term_plan, name="edit_long_term_plan"),
    path(LTP + "<int:plan>/slett/", plan_views.delete_long_term_plan, name="delete_long_term_plan"),
    path(LTP + "<int:plan>/mal/ny/", plan_views.add_plan_goal, name="add_plan_goal"),
    path(LTP + "<int:plan>/mal/<int:goal>/", plan_views.edit_plan_goal, name="edit_plan_goal"),
    path(LTP + "<int:plan>/mal/<int:goal>/slett/", plan_views.delete_plan_goal, name="delete_plan_goal"),
    path(LTP + "<int:plan>/mal/<int:goal>/flytt/<slug:direction>/", plan_views.move_plan_goal, name="move_plan_goal"),
    path("<slug:office>/<int:year>/", views.round_detail, name="round"),
    path("<slug:office>/<int:year>/kalender/", views.round_calendar, name="calendar"),
    path("<slug:office>/<int:year>/arshjul/", views.cycle, name="cycle"),
    path("<slug:office>/<int:year>/arshjul/ny/", views.add_milestone, name="add_milestone"),
    path("<slug:office>/<int:year>/arshjul/<int:pk>/", views.edit_milestone, name="edit_milestone"),
    path("<slug:office>/<int:year>/arshjul/<int:pk>/slett/", views.delete_milestone, name="delete_milestone"),
    path("<slug:office>/<int:year>/arshjul/paminnelse/", views.set_reminder, name="set_reminder"),
    path("<slug:office>/<int:year>/arshjul/kopier-fjoraret/", views.copy_previous_cycle, name="copy_previous"),
    path("<slug:office>/<int:year>/arshjul/neste-ar/", views.start_next_year, name="start_next_year"),
    path("<slug:office>/<int:year>/rammer/", views_frames.frames, name="frames"),
    path("<slug:office>/<int:year>/rammer/<int:pk>/ramme/", views_frames.set_frame, name="set_frame"),
    path("<slug:office>/<int:year>/rammer/<int:pk>/nokkel/", views_frames.set_key, name="set_key"),
    path("<slug:office>/<int:year>/rammer/<int:pk>/nokkel/tall/", views_frames.set_counts, name="set_counts"),
    path("<slug:office>/<int:year>/rammer/<int:pk>/nokkel/fjern/", views_frames.remove_key, name="remove_key"),
]
