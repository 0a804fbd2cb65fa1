from django.urls import path

from issues.suggestions import views

# Included at the site's root without a namespace: {% url 'suggest' %}.
urlpatterns = [
    path("", views.suggest, name="suggest"),
    path("thanks/", views.suggest_thanks, name="suggest_thanks"),
]
