from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("comments/post/<int:article_id>/", views.CommentPostView.as_view(), name="post"),
]
