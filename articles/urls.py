from django.urls import path, register_converter

from articles import views
from articles.converters import FourDigitYearConverter, TwoDigitConverter

register_converter(FourDigitYearConverter, "yyyy")
register_converter(TwoDigitConverter, "dd")

app_name = "articles"

urlpatterns = [
    path("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("<yyyy:year>/<dd:month>/<dd:day>/", views.ArticleDayArchiveView.as_view(), name="day"),
    path("<yyyy:year>/<dd:month>/", views.ArticleMonthArchiveView.as_view(), name="month"),
    path("<yyyy:year>/", views.ArticleYearArchiveView.as_view(), name="year"),
    path("author/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("", views.ArticleIndexView.as_view(), name="index"),
]
