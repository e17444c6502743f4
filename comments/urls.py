from django.urls import path

from comments import feeds, views

app_name = "comments"

urlpatterns = [
    path("comments/post/<int:article_id>/", views.CommentPostView.as_view(), name="post"),
    path("comments/feed/<int:article_id>/", feeds.ArticleCommentsFeed(), name="feed"),
    path("comments/feed/<int:article_id>/atom/", feeds.ArticleCommentsAtomFeed(), name="feed_atom"),
    path("comments/report/<int:comment_id>/", views.ReportCommentView.as_view(), name="report"),
    path("comments/<int:comment_id>/edit/", views.EditCommentView.as_view(), name="edit"),
    path("comments/<int:comment_id>/delete/", views.DeleteCommentView.as_view(), name="delete"),
    path(
        "comments/notifications/confirm/<str:token>/",
        views.SubscriberLinkView.as_view(purpose="confirm"),
        name="confirm",
    ),
    path(
        "comments/notifications/unsubscribe/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
]
