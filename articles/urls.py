from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from articles import feeds, views
from articles.converters import FourDigitYearConverter, TwoDigitConverter
from articles.sitemaps import sitemaps

register_converter(FourDigitYearConverter, "yyyy")
register_converter(TwoDigitConverter, "dd")

app_name = "articles"

urlpatterns = [
    path("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/comment-page-<int:comment_page>/",
        views.ArticleDetailView.as_view(),
        name="comment_page",
    ),
    path("<yyyy:year>/<dd:month>/<dd:day>/", views.ArticleDayArchiveView.as_view(), name="day"),
    path("<yyyy:year>/<dd:month>/", views.ArticleMonthArchiveView.as_view(), name="month"),
    path("<yyyy:year>/", views.ArticleYearArchiveView.as_view(), name="year"),
    path("author/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("author/<slug:slug>/feed/", feeds.AuthorFeed(), name="author_feed"),
    path("author/<slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
    path("section/<slug:slug>/", views.SectionDetailView.as_view(), name="section"),
    path("section/<slug:slug>/feed/", feeds.SectionFeed(), name="section_feed"),
    path("section/<slug:slug>/feed/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("tag/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
    path("", views.ArticleIndexView.as_view(), name="index"),
]
