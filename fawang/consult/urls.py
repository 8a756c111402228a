from django.urls import path

from fawang.consult import views

app_name = "consult"
urlpatterns = [
    path("laws/", views.law_list, name="laws"),
    path("laws/search", views.search, name="search"),
    path("laws/<int:law_id>/", views.law_detail, name="law"),
    path("laws/<int:law_id>/articles/<str:key>", views.article_detail, name="article"),
    path("citations/check", views.citation_check, name="citation_check"),
    path("consult/citations", views.citation_fragment, name="citation_fragment"),
    path("ask/", views.ask, name="ask"),
    path("consult/suggest", views.suggest, name="suggest"),
    path("consult/draft", views.draft, name="draft"),
    path("console/hot-words/", views.hot_word_report, name="hot_words"),
    path("knowledge/", views.knowledge_list, name="knowledge"),
    path("knowledge/manage/", views.knowledge_manage, name="knowledge_manage"),
    path("knowledge/manage/new", views.knowledge_new, name="knowledge_new"),
    path("knowledge/manage/export.xlsx", views.knowledge_export, name="knowledge_export"),
    path("knowledge/manage/import", views.knowledge_import, name="knowledge_import"),
    path(
        "knowledge/manage/<slug:key>/",
        views.knowledge_manage_entry,
        name="knowledge_manage_entry",
    ),
    path("knowledge/manage/<slug:key>/edit", views.knowledge_edit, name="knowledge_edit"),
    path("knowledge/<slug:key>", views.knowledge_detail, name="knowledge_entry"),
]
